-- What a student tells the platform about how they learn; later modules read it (session length,
-- accessibility needs). One row per student, created on first edit.
CREATE TABLE users_student_profiles (
  user_id TEXT PRIMARY KEY REFERENCES users_users (id) ON DELETE CASCADE,
  school_id TEXT NOT NULL,
  preferred_session_minutes INTEGER NOT NULL,
  learning_preferences TEXT NOT NULL,
  accessibility_needs TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

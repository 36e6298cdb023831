-- Subjects (disciplines) and classes (a group of students taught by one or more teachers).
CREATE TABLE users_subjects (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL REFERENCES users_schools (id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_subjects_school_name ON users_subjects (school_id, name);

CREATE TABLE users_classes (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL REFERENCES users_schools (id),
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_classes_school_name ON users_classes (school_id, school_year, name);

-- role: teacher | student
CREATE TABLE users_class_members (
  class_id TEXT NOT NULL REFERENCES users_classes (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users_users (id) ON DELETE CASCADE,
  school_id TEXT NOT NULL,
  role TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (class_id, user_id)
);
CREATE INDEX users_class_members_user ON users_class_members (user_id);

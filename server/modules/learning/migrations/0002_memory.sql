-- A student's memory of each card (one item may give several: a reversed flashcard, the gaps of a
-- cloze), the review log, revision sessions and progress (docs/learning.md, docs/srs.md).
-- state: 0 new, 1 learning, 2 review, 3 relearning. Rows exist from the first review on.
CREATE TABLE learning_cards (
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  item_id TEXT NOT NULL REFERENCES learning_items (id) ON DELETE CASCADE,
  variant INTEGER NOT NULL,
  path_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  state INTEGER NOT NULL,
  stability DOUBLE PRECISION NOT NULL,
  difficulty DOUBLE PRECISION NOT NULL,
  learning_step INTEGER NOT NULL,
  reviews INTEGER NOT NULL,
  lapses INTEGER NOT NULL,
  last_review_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  PRIMARY KEY (student_id, item_id, variant)
);
-- The due queue: a student's cards by due time, in one school.
CREATE INDEX learning_cards_due ON learning_cards (school_id, student_id, due_at);
CREATE INDEX learning_cards_step ON learning_cards (student_id, step_id);

-- Every answer, kept for the optimizer and for statistics. practice = 1: did not change the schedule.
CREATE TABLE learning_reviews (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  variant INTEGER NOT NULL,
  path_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  session_id TEXT,
  rating INTEGER NOT NULL,
  correct INTEGER,
  practice INTEGER NOT NULL,
  duration_ms BIGINT NOT NULL,
  reviewed_at BIGINT NOT NULL,
  retrievability DOUBLE PRECISION,
  state_before INTEGER NOT NULL,
  state_after INTEGER NOT NULL,
  stability_after DOUBLE PRECISION NOT NULL,
  difficulty_after DOUBLE PRECISION NOT NULL,
  due_after BIGINT NOT NULL
);
CREATE INDEX learning_reviews_student ON learning_reviews (school_id, student_id, subject_id, reviewed_at);
CREATE INDEX learning_reviews_session ON learning_reviews (session_id);

-- mode: review | practice. status: active | finished. queue: JSON list of the cards to serve.
CREATE TABLE learning_sessions (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  path_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  queue TEXT NOT NULL,
  position INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  last_activity_at BIGINT NOT NULL,
  finished_at BIGINT,
  summary TEXT
);
CREATE INDEX learning_sessions_student ON learning_sessions (school_id, student_id, status);

-- completed_at: a lesson step marked as read. mastered_at: see docs/learning.md "Mastery".
CREATE TABLE learning_step_progress (
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  step_id TEXT NOT NULL REFERENCES learning_steps (id) ON DELETE CASCADE,
  path_id TEXT NOT NULL,
  completed_at BIGINT,
  mastered_at BIGINT,
  PRIMARY KEY (student_id, step_id)
);

-- Levels of the settings hierarchy kept outside paths. scope: teacher (owner_id = the teacher),
-- subject (owner_id = the subject, set by the school), student (owner_id = the student; only the
-- retention, and only upwards).
CREATE TABLE learning_memory_settings (
  school_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  desired_retention DOUBLE PRECISION,
  new_cards_per_day INTEGER,
  reviews_per_day INTEGER,
  maximum_interval_days INTEGER,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (school_id, scope, owner_id)
);

-- The model's parameters fitted to one student's reviews in one subject, with the report of the
-- last fit (kept or not).
CREATE TABLE learning_student_parameters (
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  parameters TEXT,
  improved INTEGER NOT NULL,
  fitted TEXT NOT NULL,
  log_loss_before DOUBLE PRECISION NOT NULL,
  log_loss_after DOUBLE PRECISION NOT NULL,
  reviews_used INTEGER NOT NULL,
  reviews_at_fit INTEGER NOT NULL,
  fitted_at BIGINT NOT NULL,
  PRIMARY KEY (student_id, subject_id)
);

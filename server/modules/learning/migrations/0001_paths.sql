-- Learning paths, their steps and content items (docs/learning.md).
-- status: draft | active | archived. exam_date: YYYY-MM-DD in the school's time zone.
-- The memory columns are the path's level of the settings hierarchy (NULL: inherit).
CREATE TABLE learning_paths (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  title TEXT NOT NULL,
  objectives TEXT NOT NULL,
  level TEXT NOT NULL,
  exam_date TEXT,
  status TEXT NOT NULL,
  desired_retention DOUBLE PRECISION,
  new_cards_per_day INTEGER,
  reviews_per_day INTEGER,
  maximum_interval_days INTEGER,
  copied_from TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX learning_paths_school ON learning_paths (school_id, owner_id);

-- Other teachers of the school the owner shares the path with (they may edit it).
CREATE TABLE learning_path_teachers (
  path_id TEXT NOT NULL REFERENCES learning_paths (id) ON DELETE CASCADE,
  teacher_id TEXT NOT NULL,
  school_id TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (path_id, teacher_id)
);
CREATE INDEX learning_path_teachers_teacher ON learning_path_teachers (teacher_id);

-- kind: class | student. A class assignment reaches whoever is in the class when asked.
CREATE TABLE learning_assignments (
  path_id TEXT NOT NULL REFERENCES learning_paths (id) ON DELETE CASCADE,
  school_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (path_id, kind, target_id)
);
CREATE INDEX learning_assignments_target ON learning_assignments (school_id, target_id);

-- kind: lesson | cards | quiz | tutor. unlock_rule: open | sequential | prerequisite | date.
CREATE TABLE learning_steps (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  path_id TEXT NOT NULL REFERENCES learning_paths (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  unlock_rule TEXT NOT NULL,
  prerequisite_step_id TEXT,
  unlock_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX learning_steps_path ON learning_steps (path_id, position);

-- kind: lesson | flashcard | cloze | choice | short_answer; content: JSON per kind.
-- origin: manual | imported | generated. validation: pending | validated | rejected.
CREATE TABLE learning_items (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  step_id TEXT NOT NULL REFERENCES learning_steps (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  content TEXT NOT NULL,
  tags TEXT NOT NULL,
  origin TEXT NOT NULL,
  validation TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX learning_items_step ON learning_items (step_id, position);

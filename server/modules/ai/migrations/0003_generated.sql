-- Cards generated from sources, with the passage each came from (the validation queue shows it).
CREATE TABLE ai_generated (
  item_id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  passage_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ai_generated_step ON ai_generated (school_id, step_id);

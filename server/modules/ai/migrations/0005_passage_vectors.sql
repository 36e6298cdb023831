-- A passage's embedding by the school's embedding model, for hybrid ranking (docs/ai.md, "Search"):
-- float32 values, little-endian, as hexadecimal text (the same column type on both databases).
CREATE TABLE ai_passage_vectors (
  passage_id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  model TEXT NOT NULL,
  vector TEXT NOT NULL
);
CREATE INDEX ai_passage_vectors_source ON ai_passage_vectors (school_id, source_id);

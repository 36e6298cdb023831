-- A teacher's sources for a path's tutor, and the passages they are cut into (docs/ai.md).
-- Passages are indexed for full-text search in core_fulltext (kind 'ai.passage', scope: the source).
CREATE TABLE ai_sources (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  path_id TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  storage_path TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
  error TEXT,
  language TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  passages INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  indexed_at BIGINT
);
CREATE INDEX ai_sources_path ON ai_sources (school_id, path_id, created_at);
CREATE TABLE ai_passages (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  source_id TEXT NOT NULL REFERENCES ai_sources (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  heading TEXT NOT NULL,
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (source_id, position)
);

-- Pictures and sounds of a path's lessons and cards: uploaded by a teacher or brought by an imported
-- Anki package. The bytes live in the file store (MNEMOS_FILES_DIR) at storage_path.
CREATE TABLE learning_media (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  path_id TEXT NOT NULL REFERENCES learning_paths (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  storage_path TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX learning_media_path ON learning_media (path_id, name);

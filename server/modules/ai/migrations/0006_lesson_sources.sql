-- A path's own lessons, indexed as one source of the path (origin 'lessons', no file), kept up to
-- date by the learning module's events; a teacher's upload is origin 'upload'. docs/ai.md.
ALTER TABLE ai_sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'upload';

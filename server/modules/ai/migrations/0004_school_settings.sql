-- A school's AI settings, set by the platform (its model) and by the school (its students' daily
-- questions); a column left NULL takes the server's default (MNEMOS_AI_*). docs/ai.md.
CREATE TABLE ai_school_settings (
  school_id TEXT PRIMARY KEY,
  provider TEXT CHECK (provider IN ('builtin', 'ollama', 'openai')),
  url TEXT,
  model TEXT,
  embedding_model TEXT,
  api_key TEXT,
  daily_questions INTEGER,
  sources_quota_mb INTEGER,
  updated_at BIGINT NOT NULL,
  updated_by TEXT
);

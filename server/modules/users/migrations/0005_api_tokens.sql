-- Bearer tokens for integrations, created and revoked by their owner. Only the hash is kept.
CREATE TABLE users_api_tokens (
  id TEXT PRIMARY KEY,
  school_id TEXT,
  user_id TEXT NOT NULL REFERENCES users_users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX users_api_tokens_user ON users_api_tokens (user_id);

-- Single-use links sent by email: invitations and password resets. Only the token's hash is kept.
CREATE TABLE users_account_tokens (
  id TEXT PRIMARY KEY,
  school_id TEXT,
  user_id TEXT NOT NULL REFERENCES users_users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX users_account_tokens_user ON users_account_tokens (user_id, kind);

-- Schools (tenants), accounts, roles and login sessions.
CREATE TABLE users_schools (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  timezone TEXT NOT NULL,
  default_locale TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- school_id is NULL for platform staff.
CREATE TABLE users_users (
  id TEXT PRIMARY KEY,
  school_id TEXT REFERENCES users_schools (id),
  email TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT,
  locale TEXT NOT NULL,
  status TEXT NOT NULL,
  avatar_path TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_users_school_email ON users_users (COALESCE(school_id, ''), email);

CREATE TABLE users_user_roles (
  user_id TEXT NOT NULL REFERENCES users_users (id) ON DELETE CASCADE,
  school_id TEXT,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
);
CREATE INDEX users_user_roles_school_role ON users_user_roles (school_id, role);

CREATE TABLE users_sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users_users (id) ON DELETE CASCADE,
  school_id TEXT,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  user_agent TEXT,
  client_ip TEXT
);
CREATE INDEX users_sessions_user ON users_sessions (user_id);

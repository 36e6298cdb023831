-- Usage per school and day (docs/billing.md, "Usage"): counted by the modules in their own
-- transactions through core's UsageMeter. Days are UTC days (YYYY-MM-DD).
CREATE TABLE billing_usage_daily (
  school_id TEXT NOT NULL,
  day TEXT NOT NULL,
  active_students INTEGER NOT NULL DEFAULT 0,
  ai_requests BIGINT NOT NULL DEFAULT 0,
  ai_tokens BIGINT NOT NULL DEFAULT 0,
  storage_bytes BIGINT NOT NULL DEFAULT 0,  -- the school's stored bytes at the end of the day
  PRIMARY KEY (school_id, day)
);

-- The students counted active on a day, so each counts once.
CREATE TABLE billing_usage_active (
  school_id TEXT NOT NULL,
  day TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (school_id, day, user_id)
);

-- Each school's stored bytes now, moved by every upload and deletion.
CREATE TABLE billing_storage (
  school_id TEXT PRIMARY KEY,
  bytes BIGINT NOT NULL
);

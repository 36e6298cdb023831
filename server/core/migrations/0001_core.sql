-- Outbox events, background jobs, the mail log and the activity log shared by every module.
CREATE TABLE core_events (
  id TEXT PRIMARY KEY,
  school_id TEXT,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX core_events_school_time ON core_events (school_id, created_at);

CREATE TABLE core_jobs (
  id TEXT PRIMARY KEY,
  school_id TEXT,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_at BIGINT NOT NULL,
  locked_by TEXT,
  locked_at BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX core_jobs_due ON core_jobs (status, run_at);

CREATE TABLE core_mail_log (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX core_mail_log_recipient ON core_mail_log (recipient, created_at);

CREATE TABLE core_activity (
  id TEXT PRIMARY KEY,
  school_id TEXT,
  actor_id TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  request_id TEXT,
  details TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX core_activity_school_time ON core_activity (school_id, at);

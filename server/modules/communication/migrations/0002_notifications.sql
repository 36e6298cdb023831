-- Notifications (docs/communication.md, "Notifications"): what happened, for one person, from any
-- module's events. source_key says what made it: the same source never notifies twice (a job run
-- again after a crash), and a grouped one (sessions finished on a path today) is updated in place.
CREATE TABLE communication_notifications (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  source_key TEXT NOT NULL,
  grouped INTEGER NOT NULL DEFAULT 1,
  in_app INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  UNIQUE (school_id, user_id, source_key)
);
CREATE INDEX communication_notifications_user ON communication_notifications (school_id, user_id, created_at);

-- A person's choice per kind: in_app, email, both or none (no row: the kind's default).
CREATE TABLE communication_notification_settings (
  school_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'both', 'none')),
  PRIMARY KEY (user_id, kind)
);

-- A chat digest waiting to go: at most one per person, due a delay after the first message it
-- holds (`since`).
CREATE TABLE communication_digests (
  user_id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  since BIGINT NOT NULL,
  due_at BIGINT NOT NULL
);

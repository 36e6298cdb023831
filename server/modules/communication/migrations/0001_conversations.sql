-- Conversations between people of one school, their members and messages (docs/communication.md).
-- kind: direct (two people, one conversation per pair: direct_key is their two ids in order),
-- group (chosen people), class (a class's teachers and students, following the class).
CREATE TABLE communication_conversations (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'group', 'class')),
  title TEXT,
  direct_key TEXT,
  class_id TEXT,
  subject_id TEXT,
  path_id TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  -- Messages are numbered within their conversation in commit order: `after` never skips one
  -- that committed late.
  last_seq BIGINT NOT NULL DEFAULT 0,
  last_message_at BIGINT,
  UNIQUE (school_id, direct_key),
  UNIQUE (school_id, class_id)
);

CREATE TABLE communication_members (
  conversation_id TEXT NOT NULL REFERENCES communication_conversations (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  school_id TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  last_read_seq BIGINT NOT NULL DEFAULT 0,
  last_read_at BIGINT,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX communication_members_user ON communication_members (school_id, user_id);

CREATE TABLE communication_messages (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES communication_conversations (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  author_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  edited_at BIGINT,
  deleted_at BIGINT,
  -- The sender's Idempotency-Key: the same key gives back the same message, never a second one.
  idempotency_key TEXT,
  UNIQUE (conversation_id, seq),
  UNIQUE (school_id, author_id, idempotency_key)
);

-- A message reported to the school's admins.
CREATE TABLE communication_reports (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  message_id TEXT NOT NULL REFERENCES communication_messages (id) ON DELETE CASCADE,
  reporter_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  message_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_by TEXT,
  resolved_at BIGINT,
  UNIQUE (message_id, reporter_id)
);
CREATE INDEX communication_reports_school ON communication_reports (school_id, resolved_at, created_at);

-- A school's rules: may students write to each other, and the words a message may not hold.
CREATE TABLE communication_settings (
  school_id TEXT PRIMARY KEY,
  students_may_message_students INTEGER NOT NULL,
  blocked_words TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

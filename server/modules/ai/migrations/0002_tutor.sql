-- Agents (a teacher's tutor for a subject) and the tutor's archived exchanges (docs/ai.md).
CREATE TABLE ai_agents (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  teacher_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  instructions TEXT NOT NULL,
  level TEXT NOT NULL,
  language TEXT NOT NULL,
  answer_policy TEXT NOT NULL CHECK (answer_policy IN ('hints_only', 'explain', 'full_answers')),
  source_ids TEXT,
  allow_off_topic INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (school_id, teacher_id, subject_id)
);
CREATE TABLE ai_conversations (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  path_id TEXT NOT NULL,
  step_id TEXT,
  session_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ai_conversations_path ON ai_conversations (school_id, path_id, updated_at);
CREATE INDEX ai_conversations_student ON ai_conversations (school_id, student_id, updated_at);
CREATE TABLE ai_messages (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES ai_conversations (id) ON DELETE CASCADE,
  author_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('student', 'tutor')),
  text TEXT NOT NULL,
  citations TEXT NOT NULL,
  provider TEXT NOT NULL,
  fallback INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  refusal TEXT,
  bloom_level INTEGER NOT NULL,
  readability DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ai_messages_conversation ON ai_messages (conversation_id, created_at);
CREATE INDEX ai_messages_author ON ai_messages (school_id, author_id, created_at);

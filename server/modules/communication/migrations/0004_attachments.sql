-- Files sent in conversations (docs/communication.md, "Attachments"). Uploaded first (message_id
-- empty), then sent with a message by their uploader; served to the conversation's members only.
-- The bytes are in MNEMOS_FILES_DIR under communication/<school>/<id>.
CREATE TABLE communication_attachments (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  uploader_id TEXT NOT NULL,
  message_id TEXT,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX communication_attachments_message ON communication_attachments (school_id, message_id);
CREATE INDEX communication_attachments_uploader ON communication_attachments (school_id, uploader_id, created_at);

-- A channel per learning path (docs/communication.md): its teachers and the students it reaches,
-- following the path. Stored as kind 'group' with the path here, and read back as kind 'path':
-- SQLite cannot widen the kind's CHECK without copying the table.
ALTER TABLE communication_conversations ADD COLUMN channel_path_id TEXT;
CREATE UNIQUE INDEX communication_conversations_path_channel
  ON communication_conversations (school_id, channel_path_id);

-- The first members of a conversation in the order they joined, without reading all of a channel
-- that holds a whole school (GET /conversations names ten, one conversation a hundred).
CREATE INDEX communication_members_order ON communication_members (conversation_id, joined_at, user_id);

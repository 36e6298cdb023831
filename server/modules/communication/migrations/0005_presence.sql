-- Who is online (docs/communication.md, "Presence"): a row per person and process while the person
-- has a WebSocket open on that process. Each process refreshes its rows' seen_at every 30 s, so
-- the rows of a process that died stop counting after 90 s.
CREATE TABLE communication_presence (
  user_id TEXT NOT NULL,
  process_id TEXT NOT NULL,
  school_id TEXT NOT NULL,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, process_id)
);
CREATE INDEX communication_presence_school ON communication_presence (school_id, seen_at);

-- A session's cards as rows, one per turn (a card answered wrongly gets another turn at the end):
-- an answer reads the turn at `position` and may append one, instead of rewriting the whole queue
-- (docs/learning.md "Revision sessions"). turn_count: turns in all; card_count: distinct cards;
-- cards_done: cards none of whose turns is left.
CREATE TABLE learning_session_turns (
  session_id TEXT NOT NULL REFERENCES learning_sessions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  variant INTEGER NOT NULL,
  repeats INTEGER NOT NULL,
  PRIMARY KEY (session_id, position)
);
ALTER TABLE learning_sessions ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE learning_sessions ADD COLUMN card_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE learning_sessions ADD COLUMN cards_done INTEGER NOT NULL DEFAULT 0;
-- A student's active session on a step, looked up at every start (the index on school, student,
-- status does not serve it: its first column is the school).
CREATE INDEX learning_sessions_step ON learning_sessions (student_id, step_id, status);

-- A session's planned cards as one fixed-width text written once when it starts: each card is 40
-- characters (its item id, 36, its variant on 3 digits, ';'), so the card at a position is read
-- with substr() and nothing is parsed or rewritten when an answer moves on. Cards that come back
-- are still rows of learning_session_turns, after the planned ones. Sessions started before keep
-- all their turns as rows (planned is empty).
ALTER TABLE learning_sessions ADD COLUMN planned TEXT NOT NULL DEFAULT '';

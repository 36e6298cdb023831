-- At most one active session per student and step. A start checks for one before it inserts, but
-- two tabs starting the same step at the same instant on PostgreSQL could both pass the check
-- (READ COMMITTED); the index makes the second insert wait for the first and then do nothing, and
-- that tab resumes the first tab's session. Before the index, any extra active session is closed:
-- the newest is the one a start resumed (repo::active_session), so it stays.
UPDATE learning_sessions SET status = 'finished', finished_at = last_activity_at
  WHERE status = 'active' AND EXISTS (
    SELECT 1 FROM learning_sessions newer
    WHERE newer.student_id = learning_sessions.student_id AND newer.step_id = learning_sessions.step_id
      AND newer.status = 'active'
      AND (newer.started_at > learning_sessions.started_at
           OR (newer.started_at = learning_sessions.started_at AND newer.id > learning_sessions.id)));
CREATE UNIQUE INDEX learning_sessions_one_active ON learning_sessions (student_id, step_id) WHERE status = 'active';

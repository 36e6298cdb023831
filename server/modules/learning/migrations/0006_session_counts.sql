-- Counts of the sessions in progress, from their turns; the queue column goes.
UPDATE learning_sessions SET
  turn_count = (SELECT COUNT(*) FROM learning_session_turns t WHERE t.session_id = learning_sessions.id),
  card_count = (SELECT COUNT(DISTINCT t.item_id || '#' || CAST(t.variant AS TEXT))
                FROM learning_session_turns t WHERE t.session_id = learning_sessions.id)
WHERE status = 'active';
UPDATE learning_sessions SET
  cards_done = card_count - (SELECT COUNT(DISTINCT t.item_id || '#' || CAST(t.variant AS TEXT))
                             FROM learning_session_turns t
                             WHERE t.session_id = learning_sessions.id AND t.position >= learning_sessions.position)
WHERE status = 'active';
ALTER TABLE learning_sessions DROP COLUMN queue;

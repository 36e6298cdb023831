-- The queues of the sessions in progress become turns (JSON functions differ by database; the
-- PostgreSQL twin of this file is 0005_session_turns_from_queue.postgresql.sql).
INSERT INTO learning_session_turns (session_id, position, item_id, variant, repeats)
SELECT s.id, CAST(q.key AS INTEGER), json_extract(q.value, '$.item_id'),
       json_extract(q.value, '$.variant'), json_extract(q.value, '$.repeats')
FROM learning_sessions s, json_each(s.queue) q
WHERE s.status = 'active';

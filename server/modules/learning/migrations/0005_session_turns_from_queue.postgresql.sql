-- The queues of the sessions in progress become turns (JSON functions differ by database; the
-- SQLite twin of this file is 0005_session_turns_from_queue.sqlite.sql).
INSERT INTO learning_session_turns (session_id, position, item_id, variant, repeats)
SELECT s.id, (q.ordinality - 1)::integer, q.value ->> 'item_id', (q.value ->> 'variant')::integer,
       (q.value ->> 'repeats')::integer
FROM learning_sessions s, json_array_elements(s.queue::json) WITH ORDINALITY AS q(value, ordinality)
WHERE s.status = 'active';

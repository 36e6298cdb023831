-- A session's planned cards packed as uncompressed bytea: 18 bytes a card (the item's UUID, 16,
-- and the variant, 2) instead of 40 characters. A start writes 18 kB for 1,000 cards instead of
-- 35 kB (lz4 hardly compresses random ids), so less WAL, fewer checkpoints. An answer reads
-- 36 bytes of it (the card at its position and the next) as a byte slice, which PostgreSQL fetches
-- from the one or two 2 kB chunks holding it: substr of UTF-8 text read the value from its start
-- (a character may be several bytes), and a slice of an lz4 value fetched all of it — five pages
-- and ~0.17 ms at a 1,000-card session's 900th card (docs/performance.md, item 23).
ALTER TABLE learning_sessions ADD COLUMN planned_packed BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE learning_sessions ALTER COLUMN planned_packed SET STORAGE EXTERNAL;
UPDATE learning_sessions SET planned_packed = (
    SELECT string_agg(decode(replace(substr(planned, n, 36), '-', ''), 'hex')
                      || int2send(substr(planned, n + 36, 3)::smallint), ''::bytea ORDER BY n)
    FROM generate_series(1, length(planned), 40) AS n)
  WHERE planned ~ '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[0-9]{3};)+$';
-- A planned text that does not pack (an id not in lower case; none is written so): its session
-- ends, and the student's next start plans afresh.
UPDATE learning_sessions SET status = 'finished', finished_at = last_activity_at
  WHERE status = 'active' AND planned <> '' AND planned_packed = ''::bytea;
ALTER TABLE learning_sessions DROP COLUMN planned;
ALTER TABLE learning_sessions RENAME COLUMN planned_packed TO planned;

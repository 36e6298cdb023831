-- A session's planned text (8,000 characters for 200 cards) was compressed with pglz when the
-- session started: 0.5 ms of a start's 1.8 ms in PostgreSQL under a school starting at once. lz4
-- compresses it several times faster, and reads the slice an answer needs faster too
-- (docs/performance.md, "Answers at school scale"). Sessions already written keep pglz.
ALTER TABLE learning_sessions ALTER COLUMN planned SET COMPRESSION lz4;

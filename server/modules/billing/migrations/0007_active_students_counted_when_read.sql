-- Active students are counted from billing_usage_active when read: a counter on the school's row
-- of the day made every student starting a session wait on that one row (docs/performance.md,
-- "Answers at school scale").
ALTER TABLE billing_usage_daily DROP COLUMN active_students;

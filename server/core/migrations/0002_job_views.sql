-- The job views list a school's jobs newest first.
CREATE INDEX core_jobs_school ON core_jobs (school_id, id);

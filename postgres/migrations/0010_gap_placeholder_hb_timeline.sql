-- Placeholder on branch hb-timeline only: version 10 belongs to another
-- branch, and the runner refuses a gap. Delete this file when merging.
SELECT 1;

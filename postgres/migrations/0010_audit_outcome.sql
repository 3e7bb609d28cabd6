-- An audit entry may keep what the call found, for calls whose result is
-- worth keeping: a credentials check's valid, wrong_key, wrong_region or
-- cannot_check. Empty for the others. Same meaning as SQLite's
-- 0011_audit_outcome.

ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT '';

-- An audit entry may keep what the call found, for calls whose result is
-- worth keeping: a credentials check's valid, wrong_key, wrong_region or
-- cannot_check. Empty for the others.

ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

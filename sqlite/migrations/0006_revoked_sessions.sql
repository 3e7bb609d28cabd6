-- Dashboard sessions ended by signing out. A session cookie names its id;
-- a revoked id is refused until the session would have expired anyway
-- (expires_at, Unix microseconds), after which the row may be deleted.
CREATE TABLE revoked_sessions (
    id         TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Dashboard sessions ended by signing out. A session cookie names its id;
-- a revoked id is refused until the session would have expired anyway
-- (expires_at), after which the row may be deleted.
CREATE TABLE revoked_sessions (
    id         text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

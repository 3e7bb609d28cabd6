-- Retention: how long each app keeps its messages, and the index that lets
-- the pruner find an app's oldest messages without scanning the table.
--
-- retention_days = 0 means the installation's default (90 days unless
-- configured).

ALTER TABLE apps ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 0
    CHECK (retention_days >= 0);

CREATE INDEX messages_by_app_created ON messages (app_id, created_at);

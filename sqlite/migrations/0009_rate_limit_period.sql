-- An endpoint's rate limit may count over a period other than a second
-- (HubSpot: 100 per 10 s): milliseconds, 0 meaning one second.
ALTER TABLE endpoints ADD COLUMN rate_limit_period_ms INTEGER NOT NULL DEFAULT 0;

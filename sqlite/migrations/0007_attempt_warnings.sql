-- The validator's warnings about a request that was sent anyway (an event
-- too old to trigger a campaign, a number sent as text): a JSON array of
-- problems, [] when there were none.
ALTER TABLE attempts ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';

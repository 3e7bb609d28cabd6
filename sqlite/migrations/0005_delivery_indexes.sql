-- Fewer index changes per delivery. deliveries_by_endpoint_status held the
-- status, so each of a delivery's status changes moved one of its entries;
-- an index of an endpoint's deliveries by creation time serves the same
-- queries (recovery, stats: a time window of one endpoint, status read from
-- the row) and never changes after the insert. Cancelling an endpoint's
-- pending deliveries reads deliveries_due_by_endpoint.

DROP INDEX deliveries_by_endpoint_status;
CREATE INDEX deliveries_by_endpoint_created ON deliveries (app_id, endpoint_id, created_at);

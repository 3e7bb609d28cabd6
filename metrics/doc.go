// Package metrics keeps hookbridge's Prometheus metrics and serves them in
// the text exposition format (GET /metrics).
//
// A *Metrics is told what happens — a message ingested, a delivery
// finished, an attempt sent, a wait for an endpoint's rate limit, a
// transformation run, an API request — by the packages that do it, through
// small methods that are safe on a nil *Metrics (so that a caller may hold
// none). The queue gauges are read from the store when Prometheus scrapes.
//
// It must not decide anything: it counts and measures what it is told.
// Labels are bounded sets (integration ids, outcomes, route patterns, code
// error kinds), never app, endpoint or message ids, which would grow
// without bound.
//
// The metrics:
//
//	hookbridge_messages_ingested_total{via,duplicate}      messages accepted (via "api" or "source")
//	hookbridge_deliveries_total{integration,outcome}        deliveries that reached an outcome: succeeded, failed, skipped, cancelled, retry
//	hookbridge_attempt_duration_seconds{integration}        time of each HTTP attempt (histogram)
//	hookbridge_attempts_total{integration,class}            attempts by response class: 2xx, 3xx, 4xx, 5xx, error
//	hookbridge_rate_limit_waits_total{integration}          deliveries that had to wait for their endpoint's rate limit
//	hookbridge_rate_limit_wait_seconds{integration}         how long they waited (histogram)
//	hookbridge_transform_duration_seconds                   transformation run time (histogram)
//	hookbridge_transform_failures_total{kind}               failed runs by kind: syntax, runtime, timeout, limit, result, other
//	hookbridge_queue_pending                                pending deliveries, all apps
//	hookbridge_queue_due                                    pending deliveries whose time has come
//	hookbridge_queue_oldest_pending_age_seconds             age of the oldest pending delivery
//	hookbridge_queue_lag_seconds                            how long the most overdue delivery has been due
//	hookbridge_queue_stats_up                               1 if the store answered the queue query at this scrape
//	hookbridge_http_requests_total{route,code}              API and ingest requests by route pattern and status
//	hookbridge_http_request_duration_seconds{route}         their duration (histogram)
//	hookbridge_api_rate_limited_total                       management calls refused by the per-token rate limit
//
// plus the Go runtime's and the process's standard metrics.
package metrics

// Package posthogtest is a fake PostHog capture API for tests: a real
// HTTP server on loopback that behaves as PostHog's public endpoints do.
// It takes POST /i/v0/e/, /capture/, /e/ and /batch/ (with or without the
// trailing slash) with JSON bodies; answers 401 to a missing or unknown
// project API key (and to a key sent to the other cloud region's host),
// 400 to an event without event or distinct_id, 413 over 20 MB; answers
// 200 {"status": "Ok"} to the rest, but drops, as PostHog does, events
// with an invalid uuid, a placeholder distinct_id such as "null", or over
// 1 MB; and counts an event again sent with the uuid, name, distinct_id
// and timestamp of one it kept as a duplicate, not a new event.
//
// It is for tests only.
package posthogtest

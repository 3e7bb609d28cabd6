// Package amplitude is the Amplitude integration: it sends transformed
// payment events to Amplitude's HTTP V2 API (POST /2/httpapi), with the
// project's API key in the body, to the project's region (US or EU).
//
// Each event gets an insert_id from the delivery's idempotency key, on
// which Amplitude deduplicates for seven days, so a retried delivery is
// counted once. With Batching on, the events of due deliveries go as one
// request (up to 2,000 events and 1 MB). Amplitude refuses a whole request
// for one invalid event, naming it by index in its 400; the deliveries it
// names fail for good and the others are sent again, without them.
//
// The package sends nothing itself; package amplitudetest is a fake HTTP
// V2 API for tests.
package amplitude

// Package httpapi serves hookbridge's management API (JSON under /api/v1),
// the ingest endpoint for signed webhooks (/ingest/{source}), and the health
// checks. Handlers validate input, call the store, and say precisely what is
// wrong when input is bad: a 4xx with {"error":{"code","message","fields"}}.
//
// It must not deliver anything itself: it stores messages with their
// deliveries and tells the dispatcher there is work. It never returns a
// secret in full except once, when it was generated.
package httpapi

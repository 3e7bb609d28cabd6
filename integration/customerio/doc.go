// Package customerio is the Customer.io integration: it sends transformed
// payment events to Customer.io's Track API (v2 /api/v2/entity and
// /api/v2/batch, and the older v1 routes), authenticated with a Site ID and
// API key, in the account's region.
//
// Prepare attaches the credentials only to requests bound for
// track.customer.io or track-eu.customer.io, moves them to the configured
// region, and gives every event the delivery's idempotency key as its id, on
// which Customer.io deduplicates. Validate checks a request against the
// Track API's documented rules, so that the test step can say what
// Customer.io would reject before anything is sent — notably the
// documentation's examples, whose actions ("payment_completed", …) the real
// API answers with 400 — and warns of what Customer.io accepts but acts on
// differently than meant (events too old to trigger campaigns, dates and
// numbers sent as text).
//
// The package must not send anything itself nor hold state between calls;
// package customeriotest is a fake Track API for tests.
package customerio

// Package customerio is the Customer.io integration: it sends transformed
// payment events to Customer.io's Track API (v2 /api/v2/entity and
// /api/v2/batch, and the older v1 routes), authenticated with a Site ID and
// API key, in the account's region.
//
// The integration is a kit.Spec (customerio.go): the kit attaches the
// credentials only to requests bound for track.customer.io or
// track-eu.customer.io and moves them to the configured region. What is
// Customer.io's own lives here: every event gets the delivery's idempotency
// key as its id, on which Customer.io deduplicates (prepare.go); validate
// checks a request against the Track API's documented rules, so that the
// test step can say what Customer.io would reject before anything is sent —
// notably the documentation's examples, whose actions ("payment_completed",
// …) the real API answers with 400 — and warns of what Customer.io accepts
// but acts on differently than meant (events too old to trigger campaigns,
// dates and numbers sent as text); batch.go packs operations into
// /api/v2/batch and reads its 207 answers; answer.go reads its error
// answers with what to change.
//
// The package must not send anything itself nor hold state between calls;
// package customeriotest is a fake Track API for tests. The user's guide is
// docs/integrations/customerio.md.
package customerio

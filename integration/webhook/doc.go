// Package webhook is the plain webhook integration: it sends events to any
// URL the user gives, signed the Standard Webhooks way (webhook-id,
// webhook-timestamp, webhook-signature) with the endpoint's own whsec_
// secret, so that the receiver can check where they came from.
//
// The webhook-id is the delivery's idempotency key: stable across retries,
// so that a receiver deduplicates on it. The package must not send anything
// itself; package webhooktest is a receiver for tests that verifies the
// signatures.
package webhook

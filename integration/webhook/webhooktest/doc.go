// Package webhooktest is a webhook receiver for tests, in the manner of
// net/http/httptest: a real server on loopback that verifies Standard
// Webhooks signatures with its secrets (package signing) and records what
// it accepted, what it rejected and why, and which messages were
// redelivered.
//
// A correctly signed request within the timestamp tolerance is answered
// 200 and accepted; one whose webhook-id was already accepted is answered
// 200 and counted as a duplicate (receivers deduplicate on webhook-id); any
// other is answered 401 with the verification error as plain text. Faults,
// rate limits and latency can be injected as with the other fakes.
package webhooktest

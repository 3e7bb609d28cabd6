// Package signing implements Standard Webhooks symmetric signatures: making
// whsec_ secrets, signing outgoing messages and verifying incoming ones.
//
// A message is signed with HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"
// using the base64-decoded part of a "whsec_…" secret, and the signature is
// sent as "v1,<base64>" in the webhook-signature header. That header may hold
// several space-separated entries, so that a receiver keeps accepting
// messages while the sender rotates its secret.
//
// The package knows nothing of HTTP servers, storage or the domain types: it
// signs and verifies bytes. It must never log or return secret values in
// errors. Asymmetric (v1a, ed25519) signatures are not implemented: their
// entries are skipped when verifying.
package signing

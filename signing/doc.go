// Package signing implements Standard Webhooks symmetric signatures: making
// whsec_ secrets, signing outgoing messages and verifying incoming ones.
//
// A message is signed with HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"
// using the base64-decoded part of a "whsec_…" secret, and the signature is
// sent as "v1,<base64>" in the webhook-signature header. That header may hold
// several space-separated entries, so that a receiver keeps accepting
// messages while the sender rotates its secret. As the official Standard
// Webhooks and Svix libraries do, verifying skips entries it cannot use
// (malformed, another version, an unknown scheme) and succeeds when any
// entry matches; a header over 8 KB or 20 entries is refused before any
// HMAC is computed. The Svix names of the headers (svix-id, svix-timestamp,
// svix-signature) are read as aliases of the webhook-* ones.
//
// The package knows nothing of HTTP servers, storage or the domain types: it
// signs and verifies bytes. It must never log or return secret values in
// errors. Asymmetric (v1a, ed25519) signatures are not implemented: their
// entries are skipped when verifying.
package signing

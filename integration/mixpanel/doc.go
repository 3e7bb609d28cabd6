// Package mixpanel is the Mixpanel integration: it sends transformed
// payment events to Mixpanel's Import Events API (POST /import?strict=1),
// authenticated with a service account (HTTP Basic) and the project id, in
// the project's data residency region (US, EU or India).
//
// Each delivery's events get a $insert_id derived from its idempotency key,
// on which Mixpanel deduplicates, so a retried delivery is counted once.
// With Batching on, the events of due deliveries go as one /import array
// (up to 2,000 events and 10 MB); strict mode's 400 lists the events it
// refused, by index, and only those deliveries fail: Mixpanel imports the
// others.
//
// The package sends nothing itself; package mixpaneltest is a fake Import
// API for tests.
package mixpanel

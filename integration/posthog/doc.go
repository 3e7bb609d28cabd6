// Package posthog is the PostHog integration: it sends transformed payment
// events to PostHog's public capture endpoints (POST /i/v0/e/ for one
// event, /batch/ for several) on the US or EU cloud or on a self-hosted
// install.
//
// PostHog takes its project API key in the request body, not in a header:
// Prepare puts it there (as api_key) only for requests bound for the
// project's host, and gives each event a uuid derived from the delivery's
// idempotency key, on which PostHog deduplicates a retried delivery. The
// key is treated as a secret although PostHog calls it public: it is
// write-only in the API and masked in every recorded request.
//
// PostHog answers 200 to events it then drops (an invalid uuid, a distinct
// id such as "null", an event over 1 MB), so Validate is where such
// mistakes show. The package sends nothing itself and keeps no state;
// package posthogtest is a fake capture API for tests.
package posthog

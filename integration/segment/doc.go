// Package segment is the Segment integration: it sends transformed payment
// events to Segment's HTTP Tracking API (/v1/identify, track, page, screen,
// group, alias and batch), authenticated with the source's write key, in the
// workspace's region.
//
// The integration is a kit.Spec (segment.go): the kit attaches the write key
// only to requests bound for api.segment.io or events.eu1.segmentapis.com
// and moves them to the configured region (an EU workspace's events sent to
// the US host vanish without an error). What is Segment's own lives here:
// each call gets the delivery's idempotency key as its messageId, on which
// Segment deduplicates (prepare.go). Segment answers 200 to almost
// everything, including calls it then drops because they lack a userId or
// an event name, so validate is where users learn of such mistakes: it
// checks each call against the Tracking API's documented rules before
// anything is sent. batch.go packs calls into /v1/batch; answer.go reads its
// few error answers with what to change.
//
// The package must not send anything itself nor hold state between calls;
// package segmenttest is a fake Tracking API for tests. The user's guide is
// docs/integrations/segment.md.
package segment

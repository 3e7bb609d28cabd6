// Package inngest is the Inngest integration: each payment event becomes
// an Inngest event {name, data, user, id, ts} sent to the Event API,
// https://<host>/e/<event key> (inn.gs unless the credentials name another
// host, such as a self-hosted Inngest). id is the delivery's idempotency
// key, so a retried delivery carries the same id and Inngest starts its
// functions once; ts is in milliseconds. With batching on, the deliveries
// due together go as one JSON array of events.
//
// The event key travels in the URL's path; it is a secret credential and
// masked wherever a request is recorded. Its documentation page is
// docs/integrations/inngest.md; its fake is package inngesttest.
package inngest

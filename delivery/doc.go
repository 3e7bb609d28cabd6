// Package delivery moves messages to their endpoints: it plans each request
// (transformation, integration shaping, validation), sends it, classifies the
// answer, and decides when to try again.
//
// The Dispatcher claims due deliveries from the store with a lease, so a
// crash loses nothing: a lease that expires is claimed again by another
// worker or by the restarted process. Every outcome — success, retry, or
// permanent failure with its reason — is recorded with the attempt that led
// to it in one transaction, together with what it says about the endpoint
// (its failing streak, a 429 pause, disabling it) and the operational events
// it causes. What is recorded is made fit to keep on that path too: the
// endpoint's secrets masked wherever the request, the answer or an error
// could quote them, and every text capped (hookbridge.Attempt.Cap).
//
// Beyond that one path it keeps the promises users of webhook systems ask
// for: claims shared fairly across endpoints (a slow one never holds every
// worker), rate limits taken from the store so that every process keeps one
// limit, batches for integrations that take them (hookbridge.Batcher),
// per-customer ordering, per-app retry schedules, and a Clock with a
// synchronous RunDue so that tests walk schedules of hours in milliseconds.
// docs/architecture.md (Delivery) explains each choice.
//
// The package must not know about any particular database or integration:
// it speaks only to the interfaces of the root package.
package delivery

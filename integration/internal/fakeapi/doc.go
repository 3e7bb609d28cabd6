// Package fakeapi is the engine shared by the fake destination servers
// (customeriotest, segmenttest, webhooktest): a real HTTP server on
// loopback that records every request, injects faults on demand (a status
// with headers and body, a rate limit with Retry-After, a request that
// never gets an answer, a connection reset), adds latency, and offers a
// client that routes requests for the real API hosts to it.
//
// It knows nothing of any destination's rules: each fake passes a handler
// that decides the answer to a request. It is for tests only.
package fakeapi

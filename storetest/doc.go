// Package storetest is the conformance suite of hookbridge.Store: one set of
// cases, written once, that every storage backend (package sqlite, package
// postgres) runs from its own tests with Run. A backend is done when the
// suite passes.
//
// The suite checks behaviour only, through the Store interface: it must not
// know any table, column or SQL dialect, and it must not import a database
// driver. It also provides TestCipher, a real AES-GCM hookbridge.Cipher with
// a fixed key, for the tests of the stores; it must never be used outside
// tests.
//
// Besides the doc comments of hookbridge.Store, the suite holds stores to
// a few promises those comments leave implicit:
//
//   - times come back equal at millisecond precision (the suite builds
//     them at that precision; a store may keep microseconds);
//   - a delivery made by CreateMessage is created at the message's
//     CreatedAt, and ListAttempts lists attempts oldest first;
//   - MessageFilter.Search is a literal, case-sensitive substring ('%' and
//     '_' are not wildcards);
//   - ClaimDeliveries takes one endpoint's longest-due deliveries first, and
//     claims a delivery whose endpoint was deleted with a nil Endpoint;
//   - Claim shares its limit out least loaded endpoint first (fewest
//     deliveries in flight, counting those it is choosing), then earliest
//     due;
//   - releasing or completing a claim whose lease was lost never disturbs
//     the current holder's lease;
//   - the audit log needs no app row.
//
// It leaves open what the contract leaves open: the order of ListApps,
// ListTokens, ListSources and ListEndpoints, whether a filter's Since or
// Until bound is inclusive, and what retrying a pending delivery does.
package storetest

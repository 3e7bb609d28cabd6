// Package catalog is the read-only catalogue of the payment event types that
// the payments platform sends, each with a description of when it is sent and
// a realistic sample payload, together with typed Go models of those payloads.
//
// The catalogue serves the API's event-type listing and the "test with sample
// payloads" step of the dashboard, and the models let other packages read an
// event's data without guessing its shape. The documented objects (Payment,
// Subscription, Refund, Dispute, LicenseKey) follow the platform's reference
// field for field; the others (Payout, CreditLedgerEntry, CreditBalanceLow,
// AbandonedCheckout, Dunning, EntitlementGrant) are our best model of them.
//
// This package must not do any I/O, read the clock or use randomness: every
// sample is built from fixed values so the catalogue is the same on every call
// and on every machine. It must not validate or reject incoming events either:
// the platform may add fields and event types at any time, and unknown ones
// are still delivered. It imports nothing of hookbridge but the root domain
// package.
//
// docs/event-types.md is generated from this catalogue; after changing a
// sample or a description, refresh it with
//
//	go test ./catalog -run TestEventTypesDoc -update
package catalog

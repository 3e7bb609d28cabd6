// Package hubspottest is a fake HubSpot API for tests: a real HTTP server
// on loopback that behaves as the endpoints the hubspot integration uses.
//
// It takes POST /crm/v3/objects/contacts/batch/upsert, /events/v3/send and
// /crm/v3/objects/tasks (and their dated versions) with JSON bodies. It
// answers 401 to a missing or unknown Bearer token, 403 MISSING_SCOPES when
// the private app lacks the endpoint's scope, 429 with HubSpot's body
// (errorType RATE_LIMIT, policyName TEN_SECONDLY_ROLLING) past 100
// requests in 10 seconds, and 400 VALIDATION_ERROR to what HubSpot refuses:
// more than 100 inputs, an idProperty other than email, a contact named
// twice in one batch, a property the account does not have or a value it
// cannot take, an undefined custom event or event property, a task without
// hs_timestamp. It keeps contacts by email, custom event occurrences
// (counting one sent again with the same uuid as a duplicate) and tasks.
//
// It is for tests only.
package hubspottest

// Package hubspot is the HubSpot integration: it keeps contacts current
// from payment events (POST /crm/v3/objects/contacts/batch/upsert, by
// email), sends custom events per payment (POST /events/v3/send), and
// opens tasks for disputes (POST /crm/v3/objects/tasks), on
// api.hubapi.com, authenticated with a private app's access token
// (Authorization: Bearer).
//
// Prepare adds the token only on HubSpot's host and gives each custom
// event a uuid derived from the delivery's idempotency key. Validate knows
// the documented limits (100 inputs per batch, email as the upsert key,
// property names and event property limits); ReadAnswer names HubSpot's
// errors: the rate-limit policy of a 429, a token HubSpot does not know, a
// scope the app lacks, a property the account does not have. Contact
// upserts are batched (up to 100 inputs, one per contact).
//
// The package sends nothing itself and keeps no state; package
// hubspottest is a fake HubSpot API for tests.
package hubspot

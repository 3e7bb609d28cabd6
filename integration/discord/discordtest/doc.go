// Package discordtest is a fake Discord webhook API for tests: a real
// HTTP server on loopback that executes webhooks as Discord does. It
// knows its webhooks by id and token (404 Unknown Webhook, 401 Invalid
// Webhook Token), refuses empty messages and messages over Discord's
// limits with Discord's 400 bodies ({code, message, errors}), answers
// wait=true with the saved message and otherwise 204, and rate-limits
// with Discord's 429 (retry_after in seconds, a float, in a JSON body),
// on demand or per webhook bucket. It is for tests only.
package discordtest

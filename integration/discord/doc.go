// Package discord is the Discord integration: it posts payment events to a
// Discord channel through the channel's webhook (Execute Webhook,
// POST /api/webhooks/{id}/{token}), as embeds coloured by the kind of
// event.
//
// The webhook URL is the only credential: it carries the token, so it is
// kept as a secret and masked from its path on. Prepare asks Discord to
// confirm each message (wait=true), so that a message Discord does not
// save is answered with an error rather than a silent 204. Validate checks
// the documented limits of a message and its embeds before anything is
// sent; ReadAnswer reads Discord's JSON errors ({code, message, errors})
// and the retry_after of its 429s, which the dispatcher honours.
//
// The package must not send anything itself nor hold state between calls;
// package discordtest is a fake Discord webhook API for tests.
package discord

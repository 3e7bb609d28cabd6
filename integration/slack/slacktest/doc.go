// Package slacktest is a fake of Slack's incoming webhooks for tests: a
// server on 127.0.0.1 that knows its webhooks (/services/T…/B…/token),
// refuses a wrong token or a removed webhook, reads a message as Slack
// does (JSON, or a form's payload field), enforces Block Kit's limits,
// and answers with Slack's status codes and plain-text error names
// (400 invalid_payload, no_text, invalid_blocks; 403 invalid_token,
// action_prohibited; 404 no_service, channel_not_found; 410
// channel_is_archived). With WithRateLimit it answers 429 and a
// Retry-After past one message a second per webhook, as Slack does.
//
// Reach it through Server.Client, which routes https://hooks.slack.com to
// it.
package slacktest

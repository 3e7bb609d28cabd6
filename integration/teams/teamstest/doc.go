// Package teamstest is a fake of Microsoft Teams' webhooks for tests: a
// real HTTP server on loopback that plays both kinds.
//
// A Workflows webhook (a flow's "When a Teams webhook request is received"
// trigger) checks the URL's signature (401 with a Logic Apps JSON error),
// knows its flow (404 WorkflowNotFound), takes JSON only (400
// InvalidRequestContent), and answers 202 before the flow runs: a message
// the flow cannot post — not a message, no Adaptive Card, a card newer
// than 1.5, over 28 KB — is accepted and its run fails, as in Teams,
// where only the flow's run history shows it (see FailedRuns).
//
// A legacy incoming webhook (a Microsoft 365 connector) answers 200 "1"
// when it posts, and 200 with "Webhook message delivery failed with
// error: … HTTP error 400/413/429 …" when Teams refuses or throttles the
// message. It is for tests only.
package teamstest

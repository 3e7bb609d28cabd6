// Package teams is the Microsoft Teams integration: it posts payment
// events to a Teams channel as Adaptive Cards, through a Teams Workflows
// webhook (a Power Automate flow started by "When a Teams webhook request
// is received", on *.environment.api.powerplatform.com or, for older
// flows, *.logic.azure.com) or a legacy incoming webhook (a Microsoft 365
// connector on *.webhook.office.com, which Microsoft has retired).
//
// The webhook URL is the only credential: its sig= query (Workflows) or
// its path (connectors) is the secret, so it is masked from the path on.
// Validate checks the message Teams expects — type "message", Adaptive
// Card attachments of version 1.5 or lower, 28 KB at most. ReadAnswer
// reads the legacy connectors' habit of answering 200 with an error in
// the body ("Webhook message delivery failed with error: … HTTP error
// 429 …"), which fails or retries the attempt, and the Workflows' JSON
// errors ({"error": {"code", "message"}}).
//
// The package must not send anything itself nor hold state between calls;
// package teamstest is a fake of both kinds of webhook for tests.
package teams

// Package slack is the Slack integration: payment, subscription, refund
// and dispute events posted to a Slack channel through an incoming webhook
// (https://hooks.slack.com/services/T…/B…/…). The webhook URL is the
// credential: it carries the token, so it is kept with the secrets and
// masked in every record from the path on.
//
// The package holds what is Slack's own: the Spec, the templates (Block
// Kit messages with a text fallback), the validator that knows Block
// Kit's limits, and the reading of Slack's plain-text error names
// (invalid_payload, channel_is_archived …) into reasons with fixes. Its
// fake is package slacktest. It does not speak to Slack's Web API; the
// "Add to Slack" OAuth flow that fills the credential lives in httpapi.
package slack

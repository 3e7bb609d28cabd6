package slack

import (
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// slackError is what one of Slack's plain-text error names means, and
// what to do about it.
type slackError struct {
	meaning string
	fix     string
	// retry marks an error on Slack's side: judged by its status (retried).
	retry bool
}

// slackErrors are the errors an incoming webhook answers, as plain text
// (not JSON) in the body.
var slackErrors = map[string]slackError{
	"invalid_payload": {meaning: "Slack could not read the message: the body is not valid JSON for its content type",
		fix: "return webhook.payload as an object ({ text, blocks }) and keep Content-Type application/json"},
	"no_text": {meaning: "the message has neither text nor blocks",
		fix: "set payload.text, and payload.blocks for a richer message"},
	"invalid_blocks": {meaning: "a block breaks Block Kit's rules (an unknown type, a text too long, more than 50 blocks …)",
		fix: "test the transformation: the validator names the block and the rule"},
	"invalid_blocks_format": {meaning: "blocks is not an array of block objects",
		fix: "set payload.blocks to an array of objects with a type each"},
	"too_many_attachments": {meaning: "the message has more than 100 attachments",
		fix: "send fewer attachments, or use blocks"},
	"invalid_attachments": {meaning: "an attachment is malformed",
		fix: "check payload.attachments against Slack's attachment fields, or use blocks"},
	"user_not_found": {meaning: "the user the message is addressed to does not exist",
		fix: "remove the user or channel override from the payload"},
	"action_prohibited": {meaning: "the workspace restricts what this webhook may post (an admin restriction)",
		fix: "ask a workspace admin to lift the restriction, or add a webhook for another channel"},
	"posting_to_general_channel_denied": {meaning: "only admins may post to this channel (often #general)",
		fix: "add a webhook for another channel, or have an admin change who may post"},
	"invalid_token": {meaning: "the webhook URL's token is not valid: the webhook was revoked",
		fix: "add a new incoming webhook in the Slack app and paste its URL into the endpoint's credentials"},
	"no_service": {meaning: "the webhook no longer exists: it was removed, or the app was uninstalled",
		fix: "add a new incoming webhook in the Slack app and paste its URL into the endpoint's credentials"},
	"no_service_id": {meaning: "the webhook URL is incomplete: it names no webhook",
		fix: "paste the whole URL, https://hooks.slack.com/services/T…/B…/…"},
	"no_team": {meaning: "the Slack workspace of the webhook does not exist",
		fix: "check the webhook URL, or add a new webhook in the workspace you use"},
	"team_disabled": {meaning: "the Slack workspace of the webhook is disabled",
		fix: "add a webhook in a workspace that is active"},
	"channel_not_found": {meaning: "the webhook's channel was deleted",
		fix: "add a new incoming webhook for an existing channel and paste its URL"},
	"channel_is_archived": {meaning: "the webhook's channel is archived and takes no messages",
		fix: "unarchive the channel, or add a webhook for another channel and paste its URL"},
	"rollup_error": {meaning: "something went wrong on Slack's side", retry: true},
}

// ReadAnswer reads the plain-text error name of an incoming webhook's
// answer: a known client error fails the delivery for good with its
// meaning and fix; an error on Slack's side keeps the status's judgement
// (retried) and names it. A 429 is left to its status and Retry-After
// header, and an unknown answer to its status.
func ReadAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if a.Status < 400 || a.Status == http.StatusTooManyRequests {
		return hookbridge.AnswerReading{}
	}
	name := errorName(a.Body)
	e, known := slackErrors[name]
	if !known {
		return hookbridge.AnswerReading{}
	}
	reading := hookbridge.AnswerReading{Reason: name + ": " + e.meaning, Fix: e.fix}
	if !e.retry && a.Status < 500 {
		reading.Verdict = hookbridge.AnswerFailed
	}
	return reading
}

// errorName is the error name a body holds: one word of lower-case
// letters and underscores, or "" for anything else.
func errorName(body []byte) string {
	name := strings.TrimSpace(string(body))
	if name == "" || len(name) > 64 {
		return ""
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || c == '_') {
			return ""
		}
	}
	return name
}

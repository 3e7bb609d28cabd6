package httpapi

import "maps"

// slackOAuthOperations documents "Add to Slack" (slackoauth.go).
func slackOAuthOperations() []apiOperation {
	return []apiOperation{
		{Method: "GET", Path: "/api/v1/integrations/slack/oauth", Tag: "Catalogue", Summary: "Is Add to Slack offered",
			Description: "Whether the Slack card may offer \"Add to Slack\" besides pasting a webhook URL: true when the operator set " +
				"`HOOKBRIDGE_SLACK_CLIENT_ID` and `HOOKBRIDGE_SLACK_CLIENT_SECRET` (and dashboard sessions are enabled).",
			Responses: with(errsOfAppListed, ok("Whether the flow is available.", ref("SlackOAuthStatus")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/integrations/slack/oauth", Tag: "Endpoints", Summary: "Start Add to Slack",
			Description: "Answers the URL of Slack's consent page (OAuth v2, scope `incoming-webhook`), where the user picks a channel. " +
				"Open it in a popup window of the dashboard: Slack then sends the user to `GET /api/v1/integrations/slack/oauth/callback`, " +
				"whose page posts the new webhook to the window that opened it. The state in the URL is sealed by this server, " +
				"bound to the app, works once, and expires after 10 minutes.",
			Responses: with(errsOfReading, ok("The consent page's URL.", ref("SlackOAuthStart")),
				failure(404, "No such app, or Add to Slack is not configured (code `slack_oauth_disabled`)."))},
		{Method: "GET", Path: slackCallbackPath, Tag: "Endpoints", Public: true, Summary: "Finish Add to Slack",
			Description: "Where Slack sends the user back. It checks the state, exchanges the code at Slack's `oauth.v2.access` with the " +
				"client id and secret, and answers the new incoming webhook: to a caller that accepts `application/json` as JSON, " +
				"otherwise as a page that posts the same JSON to the dashboard window that opened it (this origin only) and closes. " +
				"The webhook URL is a secret: it is not stored or logged here; put it in the endpoint's `webhook_url` credential.",
			Query: []apiParam{
				{Name: "state", Required: true, Description: "The state of the start call's URL.", Schema: schema{"type": "string"}},
				{Name: "code", Description: "Slack's one-time code.", Schema: schema{"type": "string"}},
				{Name: "error", Description: "Slack's reason when the user did not allow it (`access_denied`).", Schema: schema{"type": "string"}},
			},
			Responses: []apiResponse{
				ok("The new webhook.", ref("SlackOAuthResult")),
				{Status: 400, Description: "The state is not this server's, expired or was used (code `invalid_state`), or the user " +
					"declined at Slack.", Schema: ref("SlackOAuthResult")},
				failure(404, "Add to Slack is not configured on this server."),
				{Status: 502, Description: "Slack refused the exchange (`ok: false`; the code names Slack's error, as `slack_invalid_code`), " +
					"could not be reached, or granted no incoming webhook.", Schema: ref("SlackOAuthResult")},
			}},
	}
}

// slackOAuthSchemas are the bodies of those routes.
func slackOAuthSchemas() schema {
	return schema{
		"SlackOAuthStatus": object("", schema{
			"enabled": boolean("Whether Add to Slack can be offered."),
			"scope":   str("The scope asked of Slack: `incoming-webhook`."),
		}, "enabled", "scope"),
		"SlackOAuthStart": object("", schema{
			"authorize_url": str("Slack's consent page, with client_id, scope, redirect_uri and state."),
			"redirect_uri":  str("Where Slack sends the user back; it must be among the Slack app's Redirect URLs."),
			"expires_at":    dateTime("Until when the flow can be finished."),
		}, "authorize_url", "redirect_uri", "expires_at"),
		"SlackOAuthResult": object("The end of Add to Slack: a grant or an error.", schema{
			"type":  strEnum("", "hookbridge.slack_oauth"),
			"grant": ref("SlackGrant"),
			"error": ref("SlackOAuthError"),
		}, "type"),
		"SlackGrant": object("A new incoming webhook.", schema{
			"app":         str("The app the flow was started for."),
			"webhook_url": str("The webhook URL (a secret), for the endpoint's `webhook_url` credential."),
			"channel":     str("The channel the user picked, as `#name`."),
			"channel_id":  str(""),
			"team":        str("The Slack workspace's name."),
		}, "app", "webhook_url"),
		"SlackOAuthError": object("", schema{
			"code":    str("`invalid_state`, `slack_<error>` for Slack's error, `slack_unreachable`, `no_incoming_webhook` …"),
			"message": str("What happened and what to do."),
		}, "code", "message"),
	}
}

// withSlackOAuthSchemas adds slackOAuthSchemas to schemas.
func withSlackOAuthSchemas(schemas schema) schema {
	maps.Copy(schemas, slackOAuthSchemas())
	return schemas
}

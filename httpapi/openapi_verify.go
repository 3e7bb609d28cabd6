package httpapi

import "maps"

// verifyOperations documents the credentials checks (see verify.go).
func verifyOperations() []apiOperation {
	const how = "Makes one harmless authenticated call to the tool, where it documents one (Customer.io's account-region " +
		"call, HubSpot's account details, Loops' API key test, SendGrid's scopes, Resend's domains, Mixpanel's `/api/app/me`, " +
		"Windmill's whoami, Discord's Get Webhook with Token), and says `valid`, `wrong_key`, `wrong_region` (with the " +
		"region the tool names and `switch`, the credential change that fixes it) or `cannot_check` (with why: Segment, " +
		"PostHog, Amplitude and Inngest offer no call that checks their keys without recording data; for a URL-only tool " +
		"the URL's host is checked and nothing is sent). Nothing is sent to the tool's event APIs. The call goes through " +
		"the server's outbound guard and gives up after 10 seconds; secrets are masked in the answer. The result is kept " +
		"in the audit log (`outcome`)."
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints/{id}/verify", Tag: "Endpoints",
			Summary:     "Check a saved endpoint's credentials with its tool",
			Description: how,
			Responses:   with(errsOfReading, ok("What the check found.", ref("Verification")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/integrations/{integration}/verify", Tag: "Endpoints",
			Summary: "Check credentials before creating an endpoint",
			Description: "The same check on credentials given in the body, as the add-endpoint form holds them: the " +
				"credentials are checked against the integration's fields first (422 names each wrong one). " + how,
			Body:      ref("VerifyInput"),
			Responses: with(errsOfChanging, ok("What the check found.", ref("Verification")))},
	}
}

// withVerifySchemas adds the credentials checks' schemas to schemas.
func withVerifySchemas(schemas schema) schema {
	maps.Copy(schemas, schema{
		"VerifyInput": object("Credentials to check.", schema{
			"credentials": stringMap("The integration's credentials, as for creating an endpoint."),
			"endpoint_id": str("A saved endpoint of the same integration whose secret credentials stand in for those left empty (to check a settings form's change of region before saving it)."),
		}),
		"Verification": object("What a credentials check found; secrets are masked.", schema{
			"integration": str(""),
			"endpoint_id": str("The endpoint checked, if any."),
			"result":      strEnum("", "valid", "wrong_key", "wrong_region", "cannot_check"),
			"message":     str("What was found, in a sentence; for `cannot_check`, why."),
			"fix":         str("What to change."),
			"region":      str("The region the tool says the account is in, when it says."),
			"switch":      stringMap("For `wrong_region`: the credentials to change, such as `{\"region\": \"eu\"}`."),
			"call":        str("The call made, such as `GET https://track.customer.io/api/v1/accounts/region`; absent when none was."),
			"status":      integer("The tool's HTTP status; absent when no call was made."),
			"duration_ms": number("How long the check took."),
			"checked_at":  dateTime(""),
		}, "integration", "result", "message", "duration_ms", "checked_at"),
	})
	return schemas
}

package httpapi

import "maps"

// qCustomer filters the app's deliveries by the customer of their event.
var qCustomer = apiParam{Name: "customer", Description: "Only deliveries of events whose payload contains this text: a customer id or email. " +
	"It reads the customer's latest 250 events.", Schema: schema{"type": "string"}}

// appWideOperations documents the app-wide calls of appwide.go.
func appWideOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/deliveries/retry-failed", Tag: "Deliveries", Summary: "Retry every failed delivery a filter selects",
			Description: "Makes the app's failed deliveries that match every given filter pending again, due now: the filters of " +
				"`GET …/deliveries` (endpoint, event type, customer, created since and until). At most 1,000 are queued per call, " +
				"newest first; `truncated` says more matched, and calling again queues the next ones.",
			Body: ref("BulkRetryInput"), BodyOptional: true,
			Responses: with(errsOfChanging, accepted("Queued.", object("", schema{
				"queued":    integer("How many deliveries became pending."),
				"truncated": boolean("More failed deliveries matched than one call queues."),
			}, "queued", "truncated")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/overview", Tag: "Apps", Summary: "How the app's deliveries fare",
			Description: "Deliveries per minute of a window by their status now, the failures, the slowest endpoints (by the p95 of " +
				"their attempts' durations) and the lag: pending deliveries that are due and how long the oldest has waited.",
			Query:     []apiParam{{Name: "window", Description: "How far back: a duration from `1m` to `24h` (default `1h`).", Schema: schema{"type": "string"}}},
			Responses: with(errsOfReading, ok("The overview.", ref("AppOverview")), errInvalid)},
		{Method: "POST", Path: "/api/v1/apps/{app}/sources/{id}/send-sample", Tag: "Sources", Summary: "Send a signed sample event to a source",
			Description: "Signs the catalogue's sample payload of an event type with the source's current secret (Standard Webhooks) " +
				"and takes it in through the source, as `hookbridge trigger` does from outside: the signature is verified and the " +
				"event becomes a message of the app with the source's id, delivered to the endpoints subscribed to its type.",
			Body: ref("SendSampleInput"),
			Responses: with(errsOfChanging, created("Taken in.", object("", schema{
				"id": str("The message."), "event_type": str(""), "webhook_id": str("The webhook-id it was signed with; the message's event id."),
			}, "id", "event_type", "webhook_id")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints/{id}/send-test", Tag: "Endpoints", Summary: "Send a test event to an endpoint",
			Description: "Runs the endpoint's transformation, with its stored credentials, on the catalogue's sample of an event type and, " +
				"unless the transformation skips it or the validator stops it, sends the request for real; the answer says what was " +
				"sent and what came back, as `POST …/transformations/test` with `send` does. Nothing is stored: no message, no delivery.",
			Body:      ref("SendSampleInput"),
			Responses: with(errsOfRunningCode, ok("What was sent and the answer.", ref("TestResult")))},
	}
}

// appWideSchemas are the bodies of those routes.
func appWideSchemas() schema {
	count := func(desc string) schema { return integer(desc) }
	return schema{
		"BulkRetryInput": object("Filters; every one given must match.", schema{
			"endpoint_id": str(""), "event_type": str(""), "customer": str("Text of the event's payload: a customer id or email."),
			"since": dateTime("Created at or after."), "until": dateTime("Created before."),
		}),
		"SendSampleInput": object("", schema{"event_type": str("A catalogue event type, such as `payment.succeeded`.")}, "event_type"),
		"AppOverview": object("The app's deliveries over a window.", schema{
			"since": dateTime(""), "until": dateTime("Now."),
			"per_minute": arrayOf(object("", schema{
				"minute": dateTime("Start of the minute."), "succeeded": count(""), "failed": count(""), "other": count("Pending, skipped or cancelled."),
			}, "minute", "succeeded", "failed", "other"), "Every minute of the window, oldest first, by the deliveries' status now."),
			"deliveries_by_status": schema{"type": "object", "additionalProperties": schema{"type": "integer"}, "description": "Deliveries created in the window, by status."},
			"failures":             count("Failed deliveries of the window."),
			"retrying":             count("Pending deliveries that failed before and wait for their retry."),
			"truncated":            boolean("The window held more than 10,000 deliveries; the counts are of the newest."),
			"slowest_endpoints": arrayOf(object("", schema{
				"endpoint_id": str(""), "name": str(""), "attempts": count("Attempts in the window."),
				"p50_ms": number(""), "p95_ms": number(""),
			}, "endpoint_id", "name", "attempts", "p50_ms", "p95_ms"), "At most five, slowest first."),
			"lag": object("How far behind deliveries are.", schema{
				"pending": count("Pending deliveries."), "due": count("Of which are due now."),
				"oldest_due_at": dateTime("When the longest-waiting due delivery was due."),
				"lag_seconds":   number("How long it has waited past that time; 0 when none is due."),
			}, "pending", "due", "lag_seconds"),
		}, "since", "until", "per_minute", "deliveries_by_status", "failures", "retrying", "truncated", "slowest_endpoints", "lag"),
	}
}

// withAppWideSchemas adds appWideSchemas to schemas.
func withAppWideSchemas(schemas schema) schema {
	maps.Copy(schemas, appWideSchemas())
	return schemas
}

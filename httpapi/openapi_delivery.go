package httpapi

import "maps"

// deliveryControlOperations documents the routes that control deliveries:
// resending a message, an endpoint's stats, and the operational webhook.
func deliveryControlOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/messages/{id}/resend", Tag: "Messages", Summary: "Send a message again to one endpoint",
			Description: "Queues one more delivery of the message to an endpoint of the same app, due now, whatever became of the earlier ones. " +
				"It carries the same idempotency key as they did.",
			Body:      ref("ResendInput"),
			Responses: with(errsOfChanging, accepted("Queued.", object("", schema{"queued": integer("Always 1."), "delivery": ref("Delivery")}, "queued", "delivery")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/endpoints/{id}/stats", Tag: "Endpoints", Summary: "An endpoint's recent health",
			Description: "Success rate and latency percentiles of the attempts of a window, its deliveries by status, the last error and the last success.",
			Query: []apiParam{{Name: "window", Description: "How far back: a duration such as `1h` or `7d`, at most `90d` (default `24h`).",
				Schema: schema{"type": "string"}}},
			Responses: with(errsOfReading, ok("The stats.", ref("EndpointStats")), errInvalid)},
		{Method: "GET", Path: "/api/v1/apps/{app}/operational-webhook", Tag: "Apps", Summary: "Where the app's operational events go",
			Responses: with(errsOfReading, ok("The operational webhook.", ref("OperationalWebhook")))},
		{Method: "PUT", Path: "/api/v1/apps/{app}/operational-webhook", Tag: "Apps", Summary: "Send the app's operational events to a URL",
			Description: "Operational events — `endpoint.disabled` and `delivery.exhausted` — are posted to this URL as Standard Webhooks, " +
				"signed with a secret generated the first time and shown in that answer only. They are delivered and retried like " +
				"any delivery, to an endpoint marked `operational` that appears among the app's endpoints.",
			Body: ref("OperationalWebhookInput"),
			Responses: with(errsOfChanging,
				created("Made, with its signing secret.", ref("OperationalWebhook")),
				ok("Its URL changed.", ref("OperationalWebhook")))},
		{Method: "DELETE", Path: "/api/v1/apps/{app}/operational-webhook", Tag: "Apps", Summary: "Stop sending operational events",
			Responses: with(errsOfReading, noContent("Deleted; no more operational events are queued."))},
	}
}

// deliveryControlSchemas are the bodies of those routes.
func deliveryControlSchemas() schema {
	return schema{
		"ResendInput": object("", schema{"endpoint_id": str("An endpoint of the message's app.")}, "endpoint_id"),
		"EndpointStats": object("An endpoint's recent health.", schema{
			"endpoint_id":          str(""),
			"since":                dateTime("Start of the window."),
			"until":                dateTime("End of the window: now."),
			"attempts":             integer("Attempts made in the window."),
			"succeeded":            integer("Of which the destination accepted."),
			"attempt_success_rate": orNull(number("succeeded / attempts; null without attempts.")),
			"condition": object("The endpoint's health over the window, the one definition the dashboard shows too. "+
				"`status`: `disabled`; `failing` (its latest attempt failed — sent, or stopped before sending by the validator — "+
				"and a delivery of the window failed for good); "+
				"`retrying` (its latest attempt failed, no delivery failed for good: they wait for their retries); "+
				"`paused` (the tool answered 429 and asked it to wait); `healthy`. `success_rate` is over the window's "+
				"deliveries that finished: succeeded / (succeeded + failed); a delivery retried until it succeeded counts "+
				"once, as a success; one waiting for a retry does not count yet; skipped ones never count.", schema{
				"status":        str(""),
				"success_rate":  orNull(number("Null when no delivery of the window finished.")),
				"succeeded":     integer(""),
				"failed":        integer("Failed for good, sent or not (a request the validator stopped counts)."),
				"waiting":       integer("Pending: due, or waiting for a retry."),
				"failing_since": dateTime(""),
				"paused_until":  dateTime(""),
			}, "status", "success_rate", "succeeded", "failed", "waiting"),
			"latency_ms":           object("Percentiles of the attempts' durations.", schema{"p50": number(""), "p95": number(""), "p99": number("")}),
			"deliveries_by_status": schema{"type": "object", "additionalProperties": schema{"type": "integer"}, "description": "Deliveries created in the window, by status."},
			"last_error":           str("The latest failed attempt's error, whenever it was."),
			"last_error_at":        dateTime(""),
			"last_success_at":      dateTime(""),
			"failing_since":        dateTime("Since when it has failed without a success."),
			"paused_until":         dateTime("Deliveries wait until then after a 429 answer."),
			"disabled":             boolean(""),
		}, "endpoint_id", "since", "until", "attempts", "succeeded", "attempt_success_rate", "condition", "latency_ms", "deliveries_by_status", "disabled"),
		"OperationalWebhookInput": object("", schema{"url": str("http or https.")}, "url"),
		"OperationalWebhook": object("Where an app's operational events go.", schema{
			"endpoint_id":    str("The operational endpoint, listed among the app's endpoints."),
			"url":            str(""),
			"event_types":    arrayOf(str(""), "`endpoint.disabled`, `delivery.exhausted`."),
			"disabled":       boolean(""),
			"signing_secret": str("The Standard Webhooks secret (`whsec_…`) the events are signed with, in the answer that made it only."),
		}, "endpoint_id", "url", "event_types", "disabled"),
		"RecoveryOffer": object("What a re-enabled endpoint missed, and the call that has it sent.", schema{
			"since":  dateTime("When it began failing, or was disabled."),
			"failed": integer("Its deliveries that failed since then."),
			"missed": integer("Messages it never got while disabled."),
			"recover": object("The call that queues them.", schema{
				"method": str(""), "path": str(""), "body": ref("RecoverInput"),
			}, "method", "path", "body"),
		}, "since", "failed", "missed", "recover"),
	}
}

// withDeliveryControlSchemas adds deliveryControlSchemas to schemas.
func withDeliveryControlSchemas(schemas schema) schema {
	maps.Copy(schemas, deliveryControlSchemas())
	return schemas
}

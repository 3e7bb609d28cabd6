package httpapi

import "maps"

// timelineOperations documents the customer timeline.
func timelineOperations() []apiOperation {
	return []apiOperation{
		{Method: "GET", Path: "/api/v1/apps/{app}/customers/{customer}/timeline", Tag: "Messages", Summary: "A customer's timeline",
			Description: "Every message about one customer, newest first, with each endpoint's delivery outcome and the identifiers " +
				"the last attempt sent the tool (Segment `userId`/`anonymousId`, Customer.io `identifiers` or the v1 path id, " +
				"Mixpanel and PostHog `distinct_id`, Amplitude `user_id`/`device_id`, HubSpot's contact e-mail). " +
				"Messages are found by the customer named in their payload, indexed as they arrive: `data.customer.customer_id` " +
				"and `data.customer.email` (payments, refunds, subscriptions, abandoned checkouts, dunning) or `data.customer_id` " +
				"(credits, license keys, entitlement grants); disputes and payouts name no customer. An id matches exactly, an " +
				"e-mail address in any case. An unknown customer has an empty timeline, not a 404.",
			Query: []apiParam{qBefore, {Name: "limit", Description: "Page size, 1 to 100 (default 50).",
				Schema: schema{"type": "integer", "minimum": 1, "maximum": maxTimelineLimit}}},
			Responses: with(errsOfReading, ok("A page of the timeline.", ref("CustomerTimeline")), errInvalid)},
	}
}

// timelineSchemas are the bodies of the timeline.
func timelineSchemas() schema {
	message := ref("Message")
	return schema{
		"CustomerTimeline": object("A page of a customer's timeline.", schema{
			"customer":    str("The id or e-mail address asked for."),
			"data":        arrayOf(ref("TimelineEntry"), "Newest first."),
			"next_before": str("Present when the page is full: pass it as `before` for the next page."),
		}, "customer", "data"),
		"TimelineEntry": schema{"allOf": []any{message, object("", schema{
			"deliveries": arrayOf(ref("TimelineDelivery"), "Newest first; empty when no endpoint accepted the message."),
		}, "deliveries")}},
		"TimelineDelivery": object("A delivery's outcome and what it told the tool about the customer.", schema{
			"id":              str("The delivery."),
			"endpoint_id":     str(""),
			"endpoint_name":   str("Empty when the endpoint was deleted since."),
			"integration":     str("The endpoint's integration (`segment`, `customerio`, `webhook` …); empty when it was deleted since."),
			"status":          schema{"type": "string", "enum": []any{"pending", "succeeded", "failed", "skipped", "cancelled"}},
			"attempts":        integer(""),
			"last_error":      str(""),
			"next_attempt_at": dateTime(""),
			"updated_at":      dateTime(""),
			"last_attempt": orNull(object("The last attempt; the whole of it at GET …/deliveries/{id}/attempts.", schema{
				"id": str(""), "method": str(""), "url": str("Credentials masked."),
				"response_status": integer("0 when no answer came."), "error": str(""), "created_at": dateTime(""),
			}, "id", "method", "url", "response_status", "created_at")),
			"identifiers": arrayOf(object("", schema{
				"field": str("Where the request carried it: a body field (`userId`, `identifiers.email`, `properties.distinct_id`) or `path`."),
				"value": str(""),
			}, "field", "value"), "What the last attempt's request named the customer by; empty before any attempt and for other destinations."),
		}, "id", "endpoint_id", "endpoint_name", "integration", "status", "attempts", "next_attempt_at", "updated_at", "last_attempt", "identifiers"),
	}
}

// withTimelineSchemas adds timelineSchemas to schemas.
func withTimelineSchemas(schemas schema) schema {
	maps.Copy(schemas, timelineSchemas())
	return schemas
}

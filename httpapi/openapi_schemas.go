package httpapi

// apiSchemas are the components of the OpenAPI description: the bodies of
// requests and answers.
func apiSchemas() schema {
	return schema{
		"Error": object("Every error answer.", schema{
			"error": object("", schema{
				"code":    str("What went wrong, for programs: unauthorized, forbidden, not_found, invalid, invalid_json, too_deep, too_large, conflict, rate_limited, limit_reached, transformation_rejected, internal, …"),
				"message": str("What went wrong, for people."),
				"fields":  arrayOf(ref("FieldError"), "For code invalid: each invalid field."),
				"problems": arrayOf(ref("SaveProblem"),
					"For code transformation_rejected: each reason a subscribed event type's sample would not be delivered."),
				"not_checked": arrayOf(str(""),
					"For code transformation_rejected: event types not tried after a sample was stopped at the time or memory limit."),
			}, "code", "message"),
		}, "error"),
		"FieldError": object("", schema{
			"field":   str("The field, such as `url` or `credentials.api_key`."),
			"message": str("What is wrong with it."),
			"line":    integer("For transformation code: the line of the error."),
		}, "field", "message"),

		"LoginInput": object("", schema{"token": str("An API token.")}, "token"),
		"Session": object("Who is signed in.", schema{
			"admin":      boolean("Whether the session may act on every app."),
			"app_id":     str("The app of an app-scoped session; empty for an admin."),
			"token_name": str("The name of the session's token."),
			"csrf_token": str("Send it in the X-CSRF-Token header with changing calls."),
		}, "admin", "app_id", "token_name", "csrf_token"),

		"Integration": integrationSchema(),
		"CredentialField": object("A credential an integration needs.", schema{
			"name":     str("Its key in `credentials`."),
			"label":    str(""),
			"help":     str(""),
			"secret":   boolean("Secret credentials are stored encrypted and shown masked."),
			"required": boolean(""),
			"choices":  arrayOf(str(""), "The values allowed, for a choice such as region."),
			"default":  str(""),
			"hidden":   boolean("Set by hookbridge itself (the previous secret during a rotation): forms do not ask for it."),
		}, "name", "label", "secret", "required"),
		"Template": object("A built-in transformation.", schema{
			"id":          str(""),
			"name":        str(""),
			"description": str(""),
			"event_types": arrayOf(str(""), "The event types it handles."),
			"code":        str("The JavaScript."),
			"from_docs":   boolean("True for the handlers from the platform's documentation, kept as published."),
		}, "id", "name", "event_types", "code"),
		"EventType": object("", schema{
			"name":        str("Such as `payment.succeeded`."),
			"category":    str(""),
			"description": str(""),
			"sample":      anyJSON("A realistic event of this type: the envelope {business_id, type, timestamp, data}."),
		}, "name", "description", "sample"),

		"Node": object("A process serving the database.", schema{
			"id":           str("Chosen by the process when it starts; a restarted process is a new node."),
			"host":         str("The host name of the machine (or container) it runs on."),
			"pid":          integer("Its process id on that host."),
			"started_at":   dateTime("When it started."),
			"last_seen_at": dateTime("Its latest heartbeat."),
			"alive":        boolean("Whether it beat within the last 10 s."),
		}, "id", "host", "pid", "started_at", "last_seen_at", "alive"),
		"App": object("A tenant.", schema{
			"id":                     str(""),
			"name":                   str(""),
			"created_at":             dateTime(""),
			"retry_schedule":         arrayOf(str("A duration such as \"5m\" or \"2d\"."), "The wait before each attempt of the app's deliveries; absent: the platform's schedule."),
			"disable_endpoint_after": str("How long an endpoint may fail before it is disabled, as a duration; absent: 5 days."),
		}, "id", "name", "created_at"),
		"AppWithSettings": schema{"description": "A tenant and the settings kept beside it.", "allOf": []any{
			ref("App"),
			object("", schema{
				"retention_days": orNull(integer("How many days the app keeps its messages; null: the installation's default (90 days unless configured).")),
			}, "retention_days"),
		}},
		"AppSettingsInput": object("", schema{
			"name":                   str("The app's display name, at most 200 characters; its id stays."),
			"retention_days":         orNull(integer("1 to 3650 days; 0 or null: the installation's default.")),
			"retry_schedule":         arrayOf(str("A duration such as \"5m\" or \"2d\"."), "The wait before each attempt, the first \"0s\"; []: the platform's schedule."),
			"disable_endpoint_after": str("How long an endpoint may fail before it is disabled, as a duration; \"0s\": the default (5 days)."),
		}),
		"AppInput": object("", schema{
			"id":   str("1 to 63 lower-case letters, digits, '-' or '_'; generated if absent."),
			"name": str("At most 200 characters; the id if absent."),
		}),

		"Token": object("An API token, without its secret.", schema{
			"id":         str(""),
			"app_id":     str("The app it is scoped to; absent for an admin token."),
			"name":       str(""),
			"created_at": dateTime(""),
			"expires_at": dateTime("When it stops working, if it does."),
			"revoked_at": dateTime("When it was revoked, if it was."),
		}, "id", "name", "created_at"),
		"TokenInput": object("", schema{
			"name":       str("At most 200 characters (default \"API token\")."),
			"expires_at": dateTime("When the token stops working (RFC 3339, in the future); never if absent."),
		}),
		"TokenCreated": schema{"allOf": []any{ref("Token"), object("", schema{
			"token": str("The secret (`hbk_…`), shown only in this answer. Send it as `Authorization: Bearer <token>`."),
		}, "token")}},
		"PortalLink": object("", schema{
			"id":         str("The id of the link's token; revoking it voids the link."),
			"app_id":     str(""),
			"url":        str("The sign-in link, to open in a browser."),
			"expires_at": dateTime("When the link stops working if unused."),
		}, "id", "app_id", "url", "expires_at"),
		"AuditEntry": object("One management change.", schema{
			"id":          str(""),
			"app_id":      str(""),
			"token_id":    str("Who: the token used."),
			"token_name":  str("Its name."),
			"method":      str("The HTTP method."),
			"path":        str("The request path."),
			"route":       str("The route it matched, such as `PATCH /api/v1/apps/{app}/endpoints/{id}`."),
			"resource_id": str("The resource changed or created."),
			"status":      integer("The answer's status."),
			"request_id":  str("The request's X-Request-Id."),
			"outcome":     str("What the call found, for calls whose result is kept: a credentials check's `valid`, `wrong_key`, `wrong_region` or `cannot_check`."),
			"created_at":  dateTime("When."),
		}, "id", "app_id", "token_id", "method", "path", "route", "status", "created_at"),

		"Endpoint":      endpointSchema(),
		"EndpointSaved": endpointSavedSchema(),
		"SaveProblem":   saveProblemSchema(),
		"EndpointInput": endpointInputSchema(),
		"Transformation": object("", schema{
			"code":     str("`function handler(webhook) { …; return webhook }`"),
			"enabled":  boolean(""),
			"template": str("The template the code came from: set by a save that names one, kept by saves that edit the code, cleared with the code."),
			"version":  integer("The number of the transformation's live version (see `…/transformation/versions`)."),
		}, "code", "enabled", "version"),
		"Ordering": object("Delivers the events of one customer one at a time, in order.", schema{
			"enabled":  boolean(""),
			"key_path": str("A dotted path into the payload; default `data.customer.customer_id`."),
		}, "enabled"),
		"RecoverInput": object("", schema{
			"since": dateTime("Start of the window (inclusive)."),
			"until": dateTime("End of the window (exclusive); now if absent."),
		}, "since"),
		"TestInput":     testInputSchema(),
		"TestResult":    testResultSchema(),
		"PreviewInput":  previewInputSchema(),
		"PreviewResult": previewResultSchema(),
		"Problem": object("A reason the destination would reject or drop the request, or (a warning) accept it but file or act on it differently than meant.", schema{
			"field":   str("Where in the request, such as `body.action`."),
			"message": str(""),
			"fix":     str("How to fix it."),
			"warning": boolean("True when the request would still be sent."),
		}, "field", "message"),
		"CodeError": object("A failure of transformation code.", schema{
			"kind":    strEnum("", "syntax", "runtime", "timeout", "limit", "memory", "result", "crash"),
			"message": str(""),
			"line":    integer(""),
			"column":  integer(""),
			"console": arrayOf(str(""), "What it logged before it failed."),
		}, "kind", "message"),

		"MessageInput": object("", schema{
			"event_type": str("A known event type."),
			"payload":    anyJSON("The event: a JSON object, the envelope {business_id, type, timestamp, data}."),
			"event_id":   str("Idempotency key: the same id twice yields the same message. At most 255 bytes of UTF-8 without control characters (422 otherwise); the message id if absent."),
		}, "event_type", "payload"),
		"MessageAccepted": object("", schema{
			"id":         str("The message's id."),
			"event_id":   str(""),
			"event_type": str(""),
			"created_at": dateTime(""),
			"duplicate":  boolean("True when the event id was known: nothing new was stored."),
		}, "id", "event_id", "event_type", "created_at", "duplicate"),
		"Message": messageSchema(),
		"MessageWithDeliveries": schema{"allOf": []any{ref("Message"), object("", schema{
			"deliveries": arrayOf(ref("Delivery"), ""),
		}, "deliveries")}},

		"Delivery":        deliverySchema(),
		"Attempt":         attemptSchema(),
		"RecordedRequest": recordedRequestSchema(),

		"Source": sourceSchema(),
		"SourceCreated": schema{"allOf": []any{ref("Source"), object("", schema{
			"secret": str("The new secret (`whsec_…`), shown only in this answer."),
		}, "secret")}},
		"SourceSecret": object("", schema{
			"masked":     str("The secret's first characters."),
			"created_at": dateTime(""),
			"expires_at": dateTime("When it stops verifying, after a rotation."),
		}, "masked", "created_at"),
		"SourceInput": object("", schema{
			"name":   str("1 to 200 characters (default \"Payments platform\")."),
			"secret": str("A Standard Webhooks secret (`whsec_` and base64); generated if absent."),
		}),
		"SourceRename": object("", schema{"name": str("1 to 200 characters.")}),
		"SecretInput":  object("", schema{"secret": str("The new secret; generated if absent.")}),
	}
}

func integrationSchema() schema {
	return object("", schema{
		"id":                      str("Such as `segment`."),
		"name":                    str(""),
		"description":             str(""),
		"logo":                    str("An SVG data URL."),
		"default_url":             str("Where requests go unless the endpoint or the code says otherwise."),
		"hosts":                   arrayOf(str(""), "The API hosts credentials are sent to."),
		"credentials":             arrayOf(ref("CredentialField"), ""),
		"templates":               arrayOf(ref("Template"), ""),
		"requires_transformation": boolean("Whether events must be shaped by code for this integration's API."),
		"group":                   str("The catalogue group of its card: `Plain URL`, `Analytics`, `Customer messaging`, `Team notifications`, `Automation`, `Email` or `CRM`."),
		"url_credential":          str("The credential that holds the destination URL, for tools whose webhook URL carries a token: it is a secret, and the endpoint's `url` stays empty."),
		"rate_limit": object("The rate limit a new endpoint gets unless it sets one: what the tool allows.", schema{
			"requests": integer(""),
			"period":   str("Such as `10s`; one second when absent."),
			"burst":    integer(""),
		}, "requests"),
		"docs": str("The integration's documentation page in the repository."),
	}, "id", "name", "group", "hosts", "credentials", "templates")
}

func endpointSchema() schema {
	return object("A destination; credentials are masked.", schema{
		"id":                str(""),
		"app_id":            str(""),
		"name":              str(""),
		"integration":       str("`webhook`, `customerio`, `segment`, …"),
		"url":               str("The destination URL (an integration has a default)."),
		"credentials":       stringMap("Credential values, secret ones masked."),
		"generated_secrets": stringMap("Secrets hookbridge generated (a webhook signing secret), in full, in the answer that made them only."),
		"event_types":       arrayOf(str(""), "The event types it receives; empty: all."),
		"transformation":    ref("Transformation"),
		"headers":           stringMap("Headers sent with every request; secret ones (see `secret_headers`) masked, e.g. `Bearer ********`."),
		"secret_headers":    arrayOf(str(""), "Headers marked secret besides those named like credentials (`Authorization`, `Proxy-Authorization`, `Cookie`, `X-Api-Key`, names ending in `-Token`, `-Secret`, `-Key` but not `Idempotency-Key`, `-Password`, `-Auth`). Secret headers are stored encrypted, never shown in full, and masked in recorded requests."),
		"rate_limit":        integer("Most requests per `rate_limit_period` (per second when it is absent); 0: no limit."),
		"rate_limit_period": str("What `rate_limit` counts over, a duration such as \"10s\"; absent: one second."),
		"burst":             integer("Requests that may go at once after a quiet spell, with a rate limit; 0: 1."),
		"timeout_seconds":   integer("How long a request may take; 0: the server's default."),
		"batching":          boolean("Send deliveries due together in one request, where the integration takes batches."),
		"ordering":          ref("Ordering"),
		"disabled":          boolean(""),
		"operational":       boolean("Receives the app's operational events (endpoint.disabled, delivery.exhausted) instead of its messages."),
		"failing_since":     dateTime("Since when it has failed without a success."),
		"paused_until":      dateTime("Deliveries wait until then after a 429 answer."),
		"disabled_at":       dateTime("When it was disabled for failing."),
		"disabled_reason":   str("Why."),
		"recovery":          ref("RecoveryOffer"),
		"version":           integer("Grows with every change."),
		"created_at":        dateTime(""),
		"updated_at":        dateTime(""),
	}, "id", "app_id", "name", "integration", "credentials", "event_types", "transformation", "headers", "rate_limit", "disabled", "version", "created_at", "updated_at")
}

func endpointInputSchema() schema {
	return object("For PATCH every field is optional, and only those given change.", schema{
		"name":        str("At most 200 characters; the integration's name if absent."),
		"integration": str("`webhook` (default), `customerio`, `segment`, …; cannot change."),
		"url":         str("http or https; required for `webhook`."),
		"credentials": stringMap("The integration's credential fields. On PATCH they merge over the stored ones; an empty value removes one."),
		"event_types": arrayOf(str(""), "Known event types; empty: all (at most 100)."),
		"transformation": object("", schema{
			"code":    str("`function handler(webhook) { …; return webhook }`, at most 256 KiB."),
			"enabled": boolean("Default true when code is given."),
		}),
		"template":          str("One of the integration's templates to start from: sets the code (and event types, unless given)."),
		"headers":           stringMap("At most 50; not Host or Content-Length. Secret headers are write-only: on PATCH, a stored secret header left out, or given as shown (masked), keeps its value; an empty value removes a header; other headers are replaced by those given."),
		"secret_headers":    arrayOf(str(""), "Names of headers (among `headers`) to treat as secrets besides those named like credentials. A header that stops being secret must be given its value again."),
		"rate_limit":        integer("Most requests per `rate_limit_period` (default one second), 0 (none) to 100000."),
		"rate_limit_period": str("What `rate_limit` counts over, a duration from \"1ms\" to \"24h\" such as \"10s\" (HubSpot: 100 per 10 s); \"0s\": one second."),
		"burst":             integer("With a rate limit: requests that may go at once after a quiet spell; 0 (one at a time) to 100000."),
		"timeout_seconds":   integer("How long a request may take, 1 to 60; 0: the server's default (15 s)."),
		"batching":          boolean("Send deliveries due together in one request (Segment, Customer.io)."),
		"ordering": object("Deliver the events of one customer one at a time, in order.", schema{
			"enabled":  boolean(""),
			"key_path": str("A dotted path into the event; default `data.customer.customer_id`."),
		}),
		"disabled": boolean("Re-enabling answers with `recovery`."),
		"force":    boolean("Save even if the transformation would not deliver the sample of a subscribed event type; the answer lists the problems as `warnings`."),
	})
}

func endpointSavedSchema() schema {
	return schema{"allOf": []any{ref("Endpoint"), object("What the save check found, when the save was forced.", schema{
		"warnings":    arrayOf(ref("SaveProblem"), "Each reason a subscribed event type's sample would not be delivered; absent when there is none."),
		"not_checked": arrayOf(str(""), "Event types not tried after a sample was stopped at the time or memory limit."),
	})}}
}

func saveProblemSchema() schema {
	return object("A reason the endpoint would not deliver an event type's sample, found by the save check.", schema{
		"event_type": str(""),
		"kind":       strEnum("invalid: the destination would refuse the request; error: the transformation failed.", "invalid", "error"),
		"field":      str("For invalid: where in the request, such as `action`."),
		"message":    str(""),
		"fix":        str("How to fix it."),
	}, "event_type", "kind", "message")
}

func testInputSchema() schema {
	return object("", schema{
		"integration":    str("Default `webhook`."),
		"code":           str("The transformation to try; or give a template."),
		"template":       str("One of the integration's templates."),
		"event_type":     str("A known event type."),
		"payload":        anyJSON("The event to try; the event type's sample if absent."),
		"credentials":    stringMap("Missing ones become warnings in a dry run."),
		"url":            str("The endpoint URL, for a webhook."),
		"headers":        stringMap("The endpoint's headers."),
		"secret_headers": arrayOf(str(""), "Headers to mask as secrets, as on an endpoint."),
		"send":           boolean("Send the request for real and show the answer."),
		"endpoint_id":    str("A saved endpoint of the same integration: its secret credentials fill those left empty (as the settings page tests an edit)."),
	}, "event_type")
}

func testResultSchema() schema {
	return object("", schema{
		"status":      strEnum("ready: would be sent; invalid: the destination would reject or drop it; skipped; error: the code failed.", "ready", "invalid", "skipped", "error"),
		"request":     schema{"allOf": []any{ref("RecordedRequest"), object("", schema{"body_json": anyJSON("The body, parsed, when it is JSON.")})}},
		"skip_reason": str(""),
		"problems":    arrayOf(ref("Problem"), ""),
		"error":       ref("CodeError"),
		"console":     arrayOf(str(""), "What the code logged."),
		"duration_ms": number("Run time of the code."),
		"warnings":    arrayOf(str(""), "Such as missing credentials."),
		"response": object("With send: what the destination answered.", schema{
			"status":      integer(""),
			"headers":     stringMap(""),
			"body":        str(""),
			"duration_ms": number(""),
			"error":       str("When no answer came."),
			"judgement": object("How a delivery would take this answer.", schema{
				"outcome": str("`accepted`, `retried` or `failed`."),
				"reason":  str("Why it is not accepted: the tool's error and its fix, when the integration knows them."),
			}, "outcome"),
		}),
	}, "status", "problems", "console", "duration_ms")
}

func messageSchema() schema {
	return object("An event.", schema{
		"id":         str(""),
		"app_id":     str(""),
		"event_type": str(""),
		"event_id":   str("Its idempotency key: the webhook-id of a signed webhook."),
		"source_id":  str("The source it came through, if any."),
		"payload":    anyJSON("The event, byte for byte as it arrived."),
		"created_at": dateTime(""),
	}, "id", "app_id", "event_type", "event_id", "payload", "created_at")
}

func deliverySchema() schema {
	return object("One message on its way to one endpoint.", schema{
		"id":              str(""),
		"app_id":          str(""),
		"message_id":      str(""),
		"endpoint_id":     str(""),
		"event_type":      str(""),
		"status":          strEnum("", "pending", "succeeded", "failed", "skipped", "cancelled"),
		"attempts":        integer("Tries so far."),
		"next_attempt_at": dateTime("When it is tried next, while pending."),
		"last_error":      str("Why the last try failed, or why it was skipped."),
		"ordering_key":    str("The key that orders it, on an ordered endpoint."),
		"created_at":      dateTime(""),
		"updated_at":      dateTime(""),
	}, "id", "app_id", "message_id", "endpoint_id", "event_type", "status", "attempts", "next_attempt_at", "created_at", "updated_at")
}

func attemptSchema() schema {
	return object("One HTTP try.", schema{
		"id":               str(""),
		"delivery_id":      str(""),
		"request":          ref("RecordedRequest"),
		"response_status":  integer("0 when no answer came."),
		"response_headers": stringMap(""),
		"response_body":    str("At most 20 KiB."),
		"duration_ns":      integer("Nanoseconds."),
		"error":            str(""),
		"warnings": arrayOf(ref("Problem"), "What the destination accepts but files or acts on differently than meant, "+
			"such as a Customer.io event timestamped more than 72 hours before it was sent (it triggers no campaign); the request was sent."),
		"batch": object("Set when the request carried several deliveries.", schema{
			"size":  integer("How many deliveries the request carried."),
			"index": integer("This one's place among them, from 0."),
		}, "size", "index"),
		"transformation_version": integer("The version of the endpoint's transformation that produced the request; absent for attempts made before versions were kept."),
		"created_at":             dateTime(""),
	}, "id", "delivery_id", "request", "response_status", "duration_ns", "created_at")
}

func recordedRequestSchema() schema {
	return object("A request as sent, credentials masked.", schema{
		"method":  str(""),
		"url":     str(""),
		"headers": stringMap(""),
		"body":    str(""),
	}, "method", "url", "headers", "body")
}

func sourceSchema() schema {
	return object("An inbound address for signed webhooks; secrets masked.", schema{
		"id":         str(""),
		"app_id":     str(""),
		"name":       str(""),
		"ingest_url": str("Where the platform posts: POST /ingest/{id}."),
		"secrets":    arrayOf(ref("SourceSecret"), "The secrets that verify, newest first."),
		"created_at": dateTime(""),
		"updated_at": dateTime(""),
	}, "id", "app_id", "name", "ingest_url", "secrets", "created_at", "updated_at")
}

func previewInputSchema() schema {
	return object("A draft transformation to replay over the endpoint's recent messages.", schema{
		"code":        str("The draft: `function handler(webhook) { …; return webhook }`."),
		"limit":       integer("How many of the most recent messages the endpoint accepts to replay: 1 to 500 (default 100)."),
		"since":       dateTime("Only messages created at or after this time."),
		"event_types": arrayOf(str(""), "Only messages of these event types."),
		"before":      str("The cursor of the next page: a previous answer's `next_before`."),
	}, "code")
}

func previewSideSchema(desc string) schema {
	return object(desc, schema{
		"outcome":     str("`request` (it would be sent), `invalid` (the validator would stop it), `skipped` or `error`."),
		"request":     ref("RecordedRequest"),
		"problems":    arrayOf(ref("Problem"), "What the destination would reject (and warnings)."),
		"skip_reason": str(""),
		"error":       str("Why the transformation failed."),
	}, "outcome", "problems")
}

func previewResultSchema() schema {
	return object("The draft and the live transformation side by side on each message; nothing is sent.", schema{
		"summary": object("How many messages the draft would change, and how.", schema{
			"unchanged": integer(""), "changed": integer(""), "newly_invalid": integer(""),
			"newly_skipped": integer(""), "errors": integer(""),
			"not_run": integer("Messages the draft was not run on, after a run hit the sandbox's time or memory limit."),
		}, "unchanged", "changed", "newly_invalid", "newly_skipped", "errors", "not_run"),
		"items": arrayOf(object("", schema{
			"message_id": str(""),
			"event_type": str(""),
			"created_at": dateTime(""),
			"change":     str("`unchanged`, `changed`, `newly_invalid`, `newly_skipped`, `error` or `not_run`."),
			"live":       previewSideSchema("What the live transformation does with the message."),
			"draft":      previewSideSchema("What the draft does with it (absent when not run)."),
			"diff": arrayOf(object("A difference between the live and the draft request.", schema{
				"path":  str("`method`, `url`, `headers.<name>`, or a path into the JSON body such as `body.properties.amount`."),
				"live":  anyJSON("The live value; absent when only the draft has the path."),
				"draft": anyJSON("The draft's value; absent when only the live request has the path."),
			}, "path"), "At most 50 per message."),
		}, "message_id", "event_type", "change", "live", "diff"), ""),
		"next_before": str("Pass as `before` for older messages; absent when there are none."),
	}, "summary", "items")
}

package httpapi

func apiTags() []any {
	tags := []struct{ name, desc string }{
		{"Health", "Liveness, readiness and metrics, for load balancers and monitoring."},
		{"Sessions", "Dashboard sign-in: a session cookie in exchange for a token or a portal link."},
		{"Catalogue", "The integrations and event types this server knows."},
		{"Apps", "Tenants. An admin token sees every app; an app's token only its own."},
		{"Tokens", "App-scoped API tokens, portal links for merchants, and the audit log of changes."},
		{"Endpoints", "Destinations of an app's events: a plain URL, or an integration with credentials and a transformation."},
		{"Transformations", "Try a transformation on a sample event without sending anything."},
		{"Messages", "Events of an app, posted to the API or received by a source."},
		{"Deliveries", "One message on its way to one endpoint, with its attempts."},
		{"Sources", "Inbound addresses that verify Standard Webhooks signatures."},
		{"Ingest", "Where a payments platform posts signed webhooks."},
		{"Description", "This description of the API."},
	}
	out := make([]any, len(tags))
	for i, t := range tags {
		out[i] = schema{"name": t.name, "description": t.desc}
	}
	return out
}

// apiOperations lists every route with what it takes and answers.
func apiOperations() []apiOperation {
	ops := healthOperations()
	ops = append(ops, sessionOperations()...)
	ops = append(ops, catalogueOperations()...)
	ops = append(ops, appOperations()...)
	ops = append(ops, tokenOperations()...)
	ops = append(ops, endpointOperations()...)
	ops = append(ops, versionOperations()...)
	ops = append(ops, messageOperations()...)
	ops = append(ops, timelineOperations()...)
	ops = append(ops, deliveryOperations()...)
	ops = append(ops, sourceOperations()...)
	ops = append(ops, deliveryControlOperations()...)
	ops = append(ops, slackOAuthOperations()...)
	ops = append(ops, verifyOperations()...)
	ops = append(ops, appWideOperations()...)
	return ops
}

func healthOperations() []apiOperation {
	return []apiOperation{
		{Method: "GET", Path: "/healthz", Tag: "Health", Public: true, Summary: "Is the process alive",
			Description: "Answers 200 as long as the process serves HTTP; it checks nothing else.",
			Responses:   []apiResponse{ok("Alive.", object("", schema{"status": strEnum("", "ok")}))}},
		{Method: "GET", Path: "/readyz", Tag: "Health", Public: true, Summary: "Can the process take traffic",
			Description: "Checks that the database answers and that its schema migrations are all applied, and that the last " +
				"write was not refused for lack of space (a full disk) in the last 30 seconds.",
			Responses: []apiResponse{
				ok("Ready.", object("", schema{"status": strEnum("", "ready")})),
				{Status: 503, Description: "Not ready; `reason` says why.", Schema: object("", schema{
					"status": strEnum("", "unavailable"), "reason": str("What is wrong.")})},
			}},
		{Method: "GET", Path: "/metrics", Tag: "Health", Public: true, Summary: "Prometheus metrics",
			Description: "The metrics in Prometheus's text format: ingested messages, deliveries by outcome and integration, " +
				"attempt latency, queue depth and age, transformation run time and failures, rate-limit waits, HTTP requests. " +
				"Present when metrics are enabled; behind a bearer token when `HOOKBRIDGE_METRICS_TOKEN` is set.",
			Responses: []apiResponse{
				{Status: 200, Description: "The metrics.", ContentType: "text/plain"},
				failure(401, "A metrics token is configured and the request does not carry it."),
			}},
		{Method: "GET", Path: "/api/v1/nodes", Tag: "Health", Summary: "List the nodes",
			Description: "Needs an admin token. The processes serving this database, earliest started first: on PostgreSQL every node " +
				"that beat within the last day, on SQLite the one process that holds the data directory. A node beats every 2 s; " +
				"one not seen for 10 s is not `alive`, and the others take over its deliveries in flight. A node that stops " +
				"gracefully leaves the list.",
			Responses: []apiResponse{ok("The nodes.", listOf("Node")), errNoToken, errNotAdmin, errRateLimited}},
		{Method: "GET", Path: "/api/v1/openapi.json", Tag: "Description", Public: true, Summary: "This OpenAPI description",
			Responses: []apiResponse{ok("The OpenAPI 3.1 document.", schema{"type": "object"})}},
	}
}

func sessionOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/auth/login", Tag: "Sessions", Public: true, Summary: "Sign in to the dashboard",
			Description: "Exchanges an API token for a session cookie (12 hours, HttpOnly, SameSite=Strict). " +
				"Changing calls made with the cookie must send the answer's `csrf_token` in the `X-CSRF-Token` header.",
			Body: ref("LoginInput"),
			Responses: []apiResponse{ok("Signed in; the cookie is set.", ref("Session")), errBadBody,
				failure(401, "The token is unknown, revoked or expired, or is a portal link's."),
				failure(404, "Sessions are not enabled on this server."),
				failure(429, "Too many failed sign-ins from this client address (10 in a row, then one every 6 s); `Retry-After` says when to try again.")}},
		{Method: "GET", Path: "/auth/session", Tag: "Sessions", Public: true, Summary: "Who is signed in",
			Responses: []apiResponse{ok("The session.", ref("Session")), failure(401, "Not signed in, or the session ended.")}},
		{Method: "POST", Path: "/auth/logout", Tag: "Sessions", Public: true, Summary: "Sign out",
			Description: "Ends the session on every node: its cookie stops working even where a copy is kept. " +
				"Revoking the session's token and rotating the encryption key end sessions too.",
			Responses: []apiResponse{noContent("The session is ended and the cookie cleared.")}},
		{Method: "GET", Path: "/auth/portal", Tag: "Sessions", Public: true, Summary: "Open a portal link",
			Description: "The link made by `POST /api/v1/apps/{app}/portal-link`. It signs the browser in to the dashboard, " +
				"scoped to the link's app, and redirects to the dashboard. A link works once, within 15 minutes.",
			Query: []apiParam{{Name: "token", Required: true, Description: "The link's token (`hbp_…`).", Schema: schema{"type": "string"}}},
			Responses: []apiResponse{
				{Status: 303, Description: "Signed in; redirects to the dashboard at `/`."},
				{Status: 401, Description: "The link is unknown, used or expired: a page for a person that says so and links to sign-in.", ContentType: "text/html"},
				failure(404, "Sessions are not enabled on this server."),
			}},
	}
}

func catalogueOperations() []apiOperation {
	return []apiOperation{
		{Method: "GET", Path: "/api/v1/integrations", Tag: "Catalogue", Summary: "List integrations",
			Description: "Each integration's credential fields, API hosts and built-in templates.",
			Responses:   with(errsOfAppListed, ok("The integrations.", listOf("Integration")))},
		{Method: "GET", Path: "/api/v1/event-types", Tag: "Catalogue", Summary: "List event types",
			Description: "Every event type of the payments platform, with a realistic sample payload.",
			Responses:   with(errsOfAppListed, ok("The event types.", listOf("EventType")))},
		{Method: "GET", Path: "/api/v1/event-types/{name}", Tag: "Catalogue", Summary: "Get an event type",
			Responses: with(errsOfReading, ok("The event type.", ref("EventType")))},
	}
}

func appOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps", Tag: "Apps", Summary: "Create an app",
			Description: "Needs an admin token. A platform makes one app per merchant.",
			Body:        ref("AppInput"),
			Responses: []apiResponse{created("The app.", ref("App")), errBadBody, errNoToken, errNotAdmin,
				failure(409, "An app with this id exists."), errInvalid, errRateLimited}},
		{Method: "GET", Path: "/api/v1/apps", Tag: "Apps", Summary: "List apps",
			Description: "The apps the token may see: all of them for an admin token, its own for an app's token.",
			Responses:   with(errsOfAppListed, ok("The apps.", listOf("App")))},
		{Method: "GET", Path: "/api/v1/apps/{app}", Tag: "Apps", Summary: "Get an app",
			Description: "The app with its settings.",
			Responses:   with(errsOfReading, ok("The app.", ref("AppWithSettings")))},
		{Method: "PATCH", Path: "/api/v1/apps/{app}", Tag: "Apps", Summary: "Change an app's settings",
			Description: "Needs an admin token. Only the fields given change; every field is checked before any is stored. " +
				"`retention_days` is how long the app keeps its messages (with their deliveries and attempts): older ones are pruned, " +
				"except those with a pending delivery; null restores the installation's default (90 days unless configured).",
			Body:      ref("AppSettingsInput"),
			Responses: with(errsOfChanging, errNotAdmin, ok("The app.", ref("AppWithSettings")))},
	}
}

func tokenOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/tokens", Tag: "Tokens", Summary: "Create an app token",
			Description: "An admin token, or a token of the app, may make tokens of the app. The secret (`token`) is in this " +
				"answer only; hookbridge keeps its SHA-256 hash. A token never outlives the token that makes it: one made " +
				"with an expiring token, such as in a portal session, expires with it at the latest (`expires_at` says when).",
			Body:      ref("TokenInput"),
			Responses: with(errsOfChanging, created("The token, with its secret.", ref("TokenCreated")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/tokens", Tag: "Tokens", Summary: "List the app's tokens",
			Description: "Without secrets; revoked and expired tokens are listed with `revoked_at` and `expires_at`.",
			Responses:   with(errsOfReading, ok("The tokens.", listOf("Token")))},
		{Method: "DELETE", Path: "/api/v1/apps/{app}/tokens/{id}", Tag: "Tokens", Summary: "Revoke a token",
			Description: "The token stops working at once, and so do the dashboard sessions made with it.",
			Responses:   with(errsOfReading, noContent("Revoked."))},
		{Method: "POST", Path: "/api/v1/apps/{app}/portal-link", Tag: "Tokens", Summary: "Make a portal link",
			Description: "A sign-in link to the dashboard, scoped to the app: what a platform gives its merchant. " +
				"It works once, within 15 minutes; the dashboard session it starts lasts 12 hours.",
			Responses: with(errsOfReading, created("The link.", ref("PortalLink")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/audit-log", Tag: "Tokens", Summary: "List the app's audit log",
			Description: "Every successful management change of the app, newest first: who (the token), what (the request and the " +
				"resource's id) and when. Posting messages and testing transformations are not recorded.",
			Query:     []apiParam{qBefore, qLimit},
			Responses: with(errsOfReading, ok("A page of entries.", pageOf("AuditEntry")), errInvalid)},
	}
}

// saveCheckDoc describes the save check (savecheck.go) to callers.
const saveCheckDoc = "Saving first runs the transformation on the catalogue sample of every event type the endpoint receives " +
	"(dry run, nothing sent, as `POST …/transformations/test` does). If a sample would be refused by the validator " +
	"or makes the transformation fail, the answer is 422 `transformation_rejected` listing each problem, unless " +
	"`force` is true: then the endpoint is saved and the answer lists them as `warnings`. Validator warnings and " +
	"skipped samples pass."

// errsOfSavingEndpoint are errsOfChanging with the save check's 422.
var errsOfSavingEndpoint = []apiResponse{errBadBody, errNoToken, errNoResource, errTooLarge,
	failure(422, "A field is invalid (code `invalid`: `fields` names each one), or the transformation would not deliver "+
		"a subscribed event type's sample (code `transformation_rejected`: `problems` lists each one)."),
	errTooManyRuns,
	failure(503, "As many transformations running as the server runs at once, or their memory budget spent "+
		"(code `transformations_busy`), or the server's storage is full and nothing was stored; "+
		"the `Retry-After` header says when to try again.")}

func endpointOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints", Tag: "Endpoints", Summary: "Create an endpoint",
			Description: "A plain webhook (`url`), or an integration with its credentials and a transformation, which may start " +
				"from a template. A webhook endpoint without a `signing_secret` gets one generated, shown once in " +
				"`generated_secrets`. An app may have at most 1000 endpoints (configurable). " + saveCheckDoc,
			Body:      ref("EndpointInput"),
			Responses: with(errsOfSavingEndpoint, created("The endpoint, credentials masked.", ref("EndpointSaved")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/endpoints", Tag: "Endpoints", Summary: "List endpoints",
			Responses: with(errsOfReading, ok("The endpoints, credentials masked.", listOf("Endpoint")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/endpoints/{id}", Tag: "Endpoints", Summary: "Get an endpoint",
			Responses: with(errsOfReading, ok("The endpoint, credentials masked.", ref("Endpoint")))},
		{Method: "PATCH", Path: "/api/v1/apps/{app}/endpoints/{id}", Tag: "Endpoints", Summary: "Change an endpoint",
			Description: "Only the fields given change. Credentials merge over the stored ones; an empty value removes one. " +
				"The integration cannot change. Re-enabling a disabled endpoint answers with `recovery`: what it missed, and the call that sends it. " +
				"A change of the transformation (code, enabled) or of the event types runs the save check; a change of the " +
				"transformation (code, enabled, template) records a new version of it (`…/transformation/versions`). " + saveCheckDoc,
			Body:      ref("EndpointInput"),
			Responses: with(errsOfSavingEndpoint, ok("The endpoint.", ref("EndpointSaved")))},
		{Method: "DELETE", Path: "/api/v1/apps/{app}/endpoints/{id}", Tag: "Endpoints", Summary: "Delete an endpoint",
			Description: "Its pending deliveries are cancelled; its history stays.",
			Responses:   with(errsOfReading, noContent("Deleted."))},
		{Method: "GET", Path: "/api/v1/apps/{app}/endpoints/{id}/deliveries", Tag: "Endpoints", Summary: "List an endpoint's deliveries",
			Query:     []apiParam{qStatus, qEvent, {Name: "message_id", Description: "Only deliveries of this message.", Schema: schema{"type": "string"}}, qSince, qUntil, qBefore, qLimit},
			Responses: with(errsOfReading, ok("A page of deliveries.", pageOf("Delivery")), errInvalid)},
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints/{id}/rotate-secret", Tag: "Endpoints", Summary: "Rotate an endpoint's signing secret",
			Description: "Gives a webhook endpoint a new signing secret (given or generated, shown in `generated_secrets` of this answer " +
				"only). For 24 hours every request carries a signature with the new secret and one with the previous secret " +
				"(`credentials.previous_signing_secret_expires_at` says until when), so the receiver can switch over without " +
				"refusing an event. Setting `signing_secret` with PATCH instead replaces the secret at once. 422 for an " +
				"integration without a signing secret.",
			Body: ref("SecretInput"), BodyOptional: true,
			Responses: with(errsOfChanging, ok("The endpoint, credentials masked, with the new secret in generated_secrets.", ref("Endpoint")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints/{id}/recover", Tag: "Endpoints", Summary: "Retry failed deliveries of a time window",
			Description: "Makes every failed delivery of the endpoint created in [since, until) pending again, due now, and queues " +
				"the messages of that window it accepts but never got (it was disabled).",
			Body: ref("RecoverInput"),
			Responses: with(errsOfChanging, accepted("How many deliveries were queued.", object("", schema{
				"queued": integer("failed + missed."),
				"failed": integer("Failed deliveries made pending again."),
				"missed": integer("Deliveries made for messages it missed."),
			}, "queued", "failed", "missed")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/transformations/test", Tag: "Transformations", Summary: "Test a transformation",
			Description: "Runs a transformation (given, or an integration's template) on a sample or given event and shows what " +
				"would be sent: the request with secrets masked, or why it is skipped, what the destination would reject, " +
				"what it would accept but file or act on differently than meant (warnings, measured at the time of the test: " +
				"a Customer.io event timestamped more than 72 hours ago triggers no campaign, as the catalogue's dated samples show; " +
				"a number sent as text; a date in the form the tool does not compare), " +
				"console output and run time. With `send: true` it sends the request and shows the answer. " +
				"Test runs of the same code in the same app may share a runtime, as an endpoint's deliveries do: " +
				"what the code keeps in its top-level variables can outlive a run, never into another app's runs.",
			Body:      ref("TestInput"),
			Responses: with(errsOfRunningCode, ok("What a delivery would do.", ref("TestResult")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/endpoints/{id}/transformation/preview", Tag: "Transformations",
			Summary: "Replay a draft transformation over recent real messages",
			Description: "Runs a draft and the endpoint's live transformation over its most recent real messages (those it " +
				"accepts, newest first), as a delivery would plan them, and sends nothing. Each message gets both requests " +
				"(secrets masked), the validator's problems for each, and a structural diff of method, URL, headers and " +
				"JSON body; the summary counts the unchanged, changed, newly invalid, newly skipped and failing ones. " +
				"After a run of the draft hits the sandbox's time or memory limit, it is not run on the rest (`not_run`). " +
				"Pages with `before`.",
			Body:      ref("PreviewInput"),
			Responses: with(errsOfRunningCode, ok("The draft beside the live transformation.", ref("PreviewResult")))},
	}
}

func messageOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/messages", Tag: "Messages", Summary: "Post an event",
			Description: "Stores the event with one pending delivery per endpoint that accepts its type, in one transaction, " +
				"before answering. The same `event_id` twice yields the same message (`duplicate: true`).",
			Body:      ref("MessageInput"),
			Responses: with(errsOfChanging, accepted("Stored.", ref("MessageAccepted")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/messages", Tag: "Messages", Summary: "List messages",
			Query: []apiParam{qEvent,
				{Name: "search", Description: "Only messages whose payload contains this text (a customer id, an email).", Schema: schema{"type": "string"}},
				{Name: "source_id", Description: "Only messages received by this source.", Schema: schema{"type": "string"}},
				qSince, qUntil, qBefore, qLimit},
			Responses: with(errsOfReading, ok("A page of messages.", pageOf("Message")), errInvalid)},
		{Method: "GET", Path: "/api/v1/apps/{app}/messages/{id}", Tag: "Messages", Summary: "Get a message with its deliveries",
			Responses: with(errsOfReading, ok("The message.", ref("MessageWithDeliveries")))},
	}
}

func deliveryOperations() []apiOperation {
	return []apiOperation{
		{Method: "GET", Path: "/api/v1/apps/{app}/deliveries", Tag: "Deliveries", Summary: "List deliveries",
			Query: []apiParam{{Name: "endpoint_id", Description: "Only deliveries to this endpoint.", Schema: schema{"type": "string"}},
				{Name: "message_id", Description: "Only deliveries of this message.", Schema: schema{"type": "string"}},
				qCustomer, qStatus, qEvent, qSince, qUntil, qBefore, qLimit},
			Responses: with(errsOfReading, ok("A page of deliveries.", pageOf("Delivery")), errInvalid)},
		{Method: "GET", Path: "/api/v1/apps/{app}/deliveries/{id}", Tag: "Deliveries", Summary: "Get a delivery",
			Responses: with(errsOfReading, ok("The delivery.", ref("Delivery")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/deliveries/{id}/attempts", Tag: "Deliveries", Summary: "List a delivery's attempts",
			Description: "Oldest first: each request as sent (credentials masked) and what came back.",
			Responses:   with(errsOfReading, ok("The attempts.", listOf("Attempt")))},
		{Method: "POST", Path: "/api/v1/apps/{app}/deliveries/{id}/retry", Tag: "Deliveries", Summary: "Retry a delivery",
			Description: "Makes a finished delivery pending again, due now.",
			Responses: with(errsOfReading, accepted("Queued.", object("", schema{
				"queued": integer("Always 1."), "delivery": ref("Delivery")}, "queued", "delivery")))},
	}
}

func sourceOperations() []apiOperation {
	return []apiOperation{
		{Method: "POST", Path: "/api/v1/apps/{app}/sources", Tag: "Sources", Summary: "Create a source",
			Description: "An inbound address for signed webhooks. Without a `secret`, one is generated; the secret is in this answer only.",
			Body:        ref("SourceInput"),
			Responses:   with(errsOfChanging, created("The source, with its secret.", ref("SourceCreated")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/sources", Tag: "Sources", Summary: "List sources",
			Responses: with(errsOfReading, ok("The sources, secrets masked.", listOf("Source")))},
		{Method: "GET", Path: "/api/v1/apps/{app}/sources/{id}", Tag: "Sources", Summary: "Get a source",
			Responses: with(errsOfReading, ok("The source, secrets masked.", ref("Source")))},
		{Method: "PATCH", Path: "/api/v1/apps/{app}/sources/{id}", Tag: "Sources", Summary: "Rename a source",
			Body:      ref("SourceRename"),
			Responses: with(errsOfChanging, ok("The source.", ref("Source")))},
		{Method: "DELETE", Path: "/api/v1/apps/{app}/sources/{id}", Tag: "Sources", Summary: "Delete a source",
			Description: "Its address stops accepting webhooks; the messages it received stay.",
			Responses:   with(errsOfReading, noContent("Deleted."))},
		{Method: "POST", Path: "/api/v1/apps/{app}/sources/{id}/rotate-secret", Tag: "Sources", Summary: "Rotate a source's secret",
			Description: "Adds a new secret (given or generated, shown in this answer only); the current ones keep verifying for 24 hours.",
			Body:        ref("SecretInput"), BodyOptional: true,
			Responses: with(errsOfChanging, ok("The source, with its new secret.", ref("SourceCreated")))},
		{Method: "POST", Path: "/ingest/{source}", Tag: "Ingest", Public: true, Summary: "Receive a signed webhook",
			Description: "Verifies the Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`, or " +
				"their Svix names `svix-id`, `svix-timestamp`, `svix-signature`, each read when its `webhook-*` header is absent) over the " +
				"exact body with the source's secrets, and stores the event (the platform's envelope `{business_id, type, " +
				"timestamp, data}`) byte for byte. It verifies when any `v1` entry of the signature header matches; entries it " +
				"cannot use (malformed, another version, an unknown scheme) are skipped. A repeated `webhook-id` is answered 200 " +
				"and stored once; the `webhook-id` becomes the message's `event_id`, held to the same rule: at most 255 bytes of UTF-8 without control characters.",
			Body: anyJSON("The event envelope, as the platform sends it."),
			Responses: []apiResponse{
				ok("Stored (or a duplicate).", object("", schema{"id": str("The message's id."), "event_type": str(""),
					"duplicate": boolean("True when this webhook-id was received before.")}, "id", "event_type", "duplicate")),
				failure(400, "The body is not an event (a JSON object with a `type`, valid UTF-8, nested at most 64 levels); "+
					"the timestamp is too old or too new; the signature header is over 8 KiB or 20 entries "+
					"(`signature_header_too_large`); or the webhook-id is over 255 bytes, not UTF-8 or holds a control character (`invalid_webhook_id`)."),
				failure(401, "Signature headers missing, or no entry of the signature header matches."),
				failure(404, "No such source."),
				errTooLarge,
				errStorageFullDoc,
			}},
	}
}

// The calls of the app-wide pages (deliveries log, overview, settings,
// event types, sources' tools), on top of an AppClient from api.js.

/** appwide returns the app-wide calls of one app (an AppClient). */
export function appwide(app) {
  const c = app.c;
  return {
    retryFailed: (filter) => c.post(app.path("deliveries", "retry-failed"), filter),
    overview: (window) => c.get(app.path("overview"), { window }),
    sendTest: (endpointID, eventType) => c.post(app.path("endpoints", endpointID, "send-test"), { event_type: eventType }),
    resend: (messageID, endpointID) => c.post(app.path("messages", messageID, "resend"), { endpoint_id: endpointID }),
    sendSourceSample: (sourceID, eventType) => c.post(app.path("sources", sourceID, "send-sample"), { event_type: eventType }),
    get: () => c.get(app.base),
    update: (body) => c.patch(app.base, body),
    tokens: () => c.get(app.path("tokens")).then((r) => r.data),
    createToken: (body) => c.post(app.path("tokens"), body),
    revokeToken: (id) => c.del(app.path("tokens", id)),
    portalLink: (body) => c.post(app.path("portal-link"), body),
    audit: (query) => c.get(app.path("audit-log"), query),
    operationalWebhook: () => c.get(app.path("operational-webhook")),
    setOperationalWebhook: (url) => c.request("PUT", app.path("operational-webhook"), { url }),
    deleteOperationalWebhook: () => c.del(app.path("operational-webhook")),
  };
}

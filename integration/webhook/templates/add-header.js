// Sends every event unchanged, with one header added that names the event
// type, so that the receiver can route without parsing the body.
function handler(webhook) {
  webhook.headers = webhook.headers || {};
  webhook.headers["X-Event-Type"] = webhook.eventType;
  return webhook;
}

// Posts each refund to the channel as an Adaptive Card: "Refund paid"
// (good) or "Refund failed" (attention), with a FactSet. The amount is in
// the currency's own units.
function handler(webhook) {
  const kinds = {
    "refund.succeeded": { title: "Refund paid", color: "Good" },
    "refund.failed": { title: "Refund failed", color: "Attention" }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const r = event.data;
  const amount = hb.formatAmount(r.amount, r.currency) + " " + r.currency;
  const c = r.customer || {};
  const facts = [
    fact("Amount", amount + (r.is_partial ? " (partial)" : "")),
    fact("Customer", [c.name, c.email].filter(Boolean).join(", ")),
    fact("Payment", r.payment_id),
    fact("Refund", r.refund_id)
  ];
  if (r.reason) {
    facts.push(fact("Reason", r.reason));
  }
  webhook.payload = message(kind.title + ": " + amount, kind.color, event.timestamp, facts);
  return webhook;
}

// message is a Teams message with one Adaptive Card: a headline, the
// event's time, and a FactSet.
function message(headline, color, timestamp, facts) {
  return {
    type: "message",
    attachments: [{
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: {
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        type: "AdaptiveCard",
        version: "1.4",
        msteams: { width: "Full" },
        body: [
          { type: "TextBlock", text: headline, size: "Large", weight: "Bolder", color: color, wrap: true },
          { type: "TextBlock", text: timestamp, isSubtle: true, spacing: "None", wrap: true },
          { type: "FactSet", facts: facts }
        ]
      }
    }]
  };
}

// fact is a FactSet entry; a value missing from the event shows as "—".
function fact(title, value) {
  return { title: title, value: String(value || "—") };
}

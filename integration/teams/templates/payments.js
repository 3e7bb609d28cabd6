// Posts each payment to the channel as an Adaptive Card: a headline
// coloured by the outcome (good when it succeeds, attention when it
// fails, accent while it is processing, default when it is cancelled) and
// a FactSet. The amount is in the currency's own units (4,980 JPY is
// "4980 JPY", not "49.80").
function handler(webhook) {
  const kinds = {
    "payment.succeeded": { title: "Payment received", color: "Good" },
    "payment.failed": { title: "Payment failed", color: "Attention" },
    "payment.processing": { title: "Payment processing", color: "Accent" },
    "payment.cancelled": { title: "Payment cancelled", color: "Default" }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const amount = hb.formatAmount(p.total_amount, p.currency) + " " + p.currency;
  const c = p.customer || {};
  const facts = [
    fact("Amount", amount),
    fact("Customer", [c.name, c.email].filter(Boolean).join(", ")),
    fact("Method", methodOf(p)),
    fact("Payment", p.payment_id)
  ];
  if (p.subscription_id) {
    facts.push(fact("Subscription", p.subscription_id));
  }
  if (p.error_message || p.error_code) {
    facts.push(fact("Reason", [p.error_code, p.error_message].filter(Boolean).join(": ")));
  }
  const actions = p.invoice_url ? [{ type: "Action.OpenUrl", title: "Open invoice", url: p.invoice_url }] : [];
  webhook.payload = message(kind.title + ": " + amount, kind.color, event.timestamp, facts, actions);
  return webhook;
}

function methodOf(p) {
  if (p.card_network && p.card_last_four) {
    return p.card_network + " •••• " + p.card_last_four;
  }
  return p.payment_method || p.payment_method_type || "";
}

// message is a Teams message with one Adaptive Card: a headline, the
// event's time, and a FactSet.
function message(headline, color, timestamp, facts, actions) {
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body: [
      { type: "TextBlock", text: headline, size: "Large", weight: "Bolder", color: color, wrap: true },
      { type: "TextBlock", text: timestamp, isSubtle: true, spacing: "None", wrap: true },
      { type: "FactSet", facts: facts }
    ]
  };
  if (actions.length > 0) {
    card.actions = actions;
  }
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }]
  };
}

// fact is a FactSet entry; a value missing from the event shows as "—".
function fact(title, value) {
  return { title: title, value: String(value || "—") };
}

// Posts each change of a subscription to the channel as an Adaptive Card:
// a headline coloured by what it means for revenue — started, renewed or
// resumed (good); on hold or paused (warning); failed or expired
// (attention); cancelled (default); plan, details or payment method
// changed (accent) — and a FactSet. The recurring amount is in the
// currency's own units.
function handler(webhook) {
  const kinds = {
    "subscription.active": { title: "Subscription started", color: "Good" },
    "subscription.renewed": { title: "Subscription renewed", color: "Good" },
    "subscription.unpaused": { title: "Subscription resumed", color: "Good" },
    "subscription.on_hold": { title: "Subscription on hold", color: "Warning" },
    "subscription.paused": { title: "Subscription paused", color: "Warning" },
    "subscription.failed": { title: "Subscription failed", color: "Attention" },
    "subscription.expired": { title: "Subscription expired", color: "Attention" },
    "subscription.cancelled": { title: "Subscription cancelled", color: "Default" },
    "subscription.plan_changed": { title: "Subscription plan changed", color: "Accent" },
    "subscription.updated": { title: "Subscription updated", color: "Accent" },
    "subscription.update_payment_method": { title: "Subscription payment method changed", color: "Accent" }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  const c = s.customer || {};
  const facts = [
    fact("Customer", [c.name, c.email].filter(Boolean).join(", ")),
    fact("Recurring amount", recurringOf(s)),
    fact("Product", s.product_id + (s.quantity > 1 ? " × " + s.quantity : "")),
    fact("Subscription", s.subscription_id)
  ];
  if (s.next_billing_date && ["subscription.cancelled", "subscription.expired", "subscription.failed"].indexOf(webhook.eventType) < 0) {
    facts.push(fact("Next billing", s.next_billing_date.slice(0, 10)));
  }
  if (s.cancel_at_next_billing_date) {
    facts.push(fact("Ends", "at the next billing date"));
  }
  if (s.cancellation_comment || s.cancellation_feedback) {
    facts.push(fact("Why", [s.cancellation_feedback, s.cancellation_comment].filter(Boolean).join(": ")));
  }
  webhook.payload = message(kind.title, kind.color, event.timestamp, facts);
  return webhook;
}

// recurringOf is "29.99 USD every month" (before tax).
function recurringOf(s) {
  if (s.recurring_pre_tax_amount == null || !s.currency) {
    return "";
  }
  const n = s.payment_frequency_count || 1;
  const unit = String(s.payment_frequency_interval || "").toLowerCase();
  const every = n === 1 ? unit : n + " " + unit + "s";
  return hb.formatAmount(s.recurring_pre_tax_amount, s.currency) + " " + s.currency + (every ? " every " + every : "");
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

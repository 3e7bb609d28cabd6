// Posts each change of a subscription to the channel as an embed coloured
// by what it means for revenue: started, renewed or resumed (green); on
// hold or paused (yellow); failed or expired (red); cancelled (grey); plan,
// details or payment method changed (blue). The recurring amount is in the
// currency's own units. Mentions are turned off.
function handler(webhook) {
  const green = 0x2ecc71, yellow = 0xf1c40f, red = 0xe74c3c, grey = 0x95a5a6, blue = 0x3498db;
  const kinds = {
    "subscription.active": { title: "Subscription started", color: green },
    "subscription.renewed": { title: "Subscription renewed", color: green },
    "subscription.unpaused": { title: "Subscription resumed", color: green },
    "subscription.on_hold": { title: "Subscription on hold", color: yellow },
    "subscription.paused": { title: "Subscription paused", color: yellow },
    "subscription.failed": { title: "Subscription failed", color: red },
    "subscription.expired": { title: "Subscription expired", color: red },
    "subscription.cancelled": { title: "Subscription cancelled", color: grey },
    "subscription.plan_changed": { title: "Subscription plan changed", color: blue },
    "subscription.updated": { title: "Subscription updated", color: blue },
    "subscription.update_payment_method": { title: "Subscription payment method changed", color: blue }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  const fields = [
    field("Customer", customerOf(s.customer), true),
    field("Recurring amount", recurringOf(s), true),
    field("Product", s.product_id + (s.quantity > 1 ? " × " + s.quantity : ""), true)
  ];
  if (s.next_billing_date && ["subscription.cancelled", "subscription.expired", "subscription.failed"].indexOf(webhook.eventType) < 0) {
    fields.push(field("Next billing", s.next_billing_date.slice(0, 10), true));
  }
  if (s.cancel_at_next_billing_date) {
    fields.push(field("Ends", "at the next billing date", true));
  }
  if (s.cancellation_comment || s.cancellation_feedback) {
    fields.push(field("Why", [s.cancellation_feedback, s.cancellation_comment].filter(Boolean).map(plain).join(": "), false));
  }
  webhook.payload = {
    embeds: [{
      title: kind.title,
      color: kind.color,
      fields: fields,
      footer: { text: s.subscription_id },
      timestamp: event.timestamp
    }],
    allowed_mentions: { parse: [] }
  };
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

function customerOf(c) {
  if (!c) {
    return "";
  }
  return [c.name, c.email].filter(Boolean).map(plain).join("\n");
}

// field is an embed field; Discord refuses an empty value, and one over
// 1,024 characters.
function field(name, value, inline) {
  let text = String(value || "—");
  if (text.length > 1024) {
    text = text.slice(0, 1023) + "…";
  }
  return { name: name, value: text, inline: inline };
}

// plain escapes Discord's markdown in text from the event.
function plain(s) {
  return String(s).replace(/([\\*_`~|>])/g, "\\$1");
}

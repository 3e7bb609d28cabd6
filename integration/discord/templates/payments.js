// Posts each payment to the channel as an embed coloured by its outcome:
// green when it succeeds, red when it fails, blue while it is processing,
// grey when it is cancelled. The amount is in the currency's own units
// (4,980 JPY is "4980 JPY", not "49.80"). Mentions are turned off, so a
// customer named "@everyone" pings nobody.
function handler(webhook) {
  const kinds = {
    "payment.succeeded": { title: "Payment received", color: 0x2ecc71 },
    "payment.failed": { title: "Payment failed", color: 0xe74c3c },
    "payment.processing": { title: "Payment processing", color: 0x3498db },
    "payment.cancelled": { title: "Payment cancelled", color: 0x95a5a6 }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const amount = hb.formatAmount(p.total_amount, p.currency) + " " + p.currency;
  const fields = [
    field("Amount", amount, true),
    field("Customer", customerOf(p.customer), true),
    field("Method", methodOf(p), true)
  ];
  if (p.subscription_id) {
    fields.push(field("Subscription", p.subscription_id, true));
  }
  if (p.error_message || p.error_code) {
    fields.push(field("Reason", [p.error_code, p.error_message].filter(Boolean).join(": "), false));
  }
  if (p.invoice_url) {
    fields.push(field("Invoice", p.invoice_url, false));
  }
  webhook.payload = {
    embeds: [{
      title: kind.title + ": " + amount,
      color: kind.color,
      fields: fields,
      footer: { text: p.payment_id },
      timestamp: event.timestamp
    }],
    allowed_mentions: { parse: [] }
  };
  return webhook;
}

function customerOf(c) {
  if (!c) {
    return "";
  }
  return [c.name, c.email].filter(Boolean).map(plain).join("\n");
}

function methodOf(p) {
  if (p.card_network && p.card_last_four) {
    return p.card_network + " •••• " + p.card_last_four;
  }
  return p.payment_method || p.payment_method_type || "";
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

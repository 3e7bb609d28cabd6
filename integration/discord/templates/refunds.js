// Posts each refund to the channel as an embed: purple when the money is
// paid back, red when the refund fails. The amount is in the currency's
// own units. Mentions are turned off.
function handler(webhook) {
  const kinds = {
    "refund.succeeded": { title: "Refund paid", color: 0x9b59b6 },
    "refund.failed": { title: "Refund failed", color: 0xe74c3c }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const r = event.data;
  const amount = hb.formatAmount(r.amount, r.currency) + " " + r.currency;
  const fields = [
    field("Amount", amount + (r.is_partial ? " (partial)" : ""), true),
    field("Customer", customerOf(r.customer), true),
    field("Payment", r.payment_id, true)
  ];
  if (r.reason) {
    fields.push(field("Reason", plain(r.reason), false));
  }
  webhook.payload = {
    embeds: [{
      title: kind.title + ": " + amount,
      color: kind.color,
      fields: fields,
      footer: { text: r.refund_id },
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

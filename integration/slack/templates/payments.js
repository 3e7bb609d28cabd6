// Posts payments to Slack: a header with the outcome and the amount in the
// currency's own units (4980 JPY is ¥4980, not 49.80), the customer, the
// payment method, and why a payment failed. The top-level text is what
// notifications and screen readers show.
function handler(webhook) {
  const titles = {
    "payment.succeeded": ":white_check_mark: Payment received",
    "payment.failed": ":x: Payment failed",
    "payment.processing": ":hourglass_flowing_sand: Payment processing",
    "payment.cancelled": ":no_entry_sign: Payment cancelled"
  };
  const title = titles[webhook.eventType];
  if (!title) {
    return webhook;
  }
  const p = webhook.payload.data;
  const amount = hb.formatAmount(p.total_amount, p.currency) + " " + p.currency;
  const customer = p.customer.name + " (" + p.customer.email + ")";

  const fields = [
    field("Amount", escape(amount)),
    field("Customer", escape(customer)),
    field("Method", paymentMethod(p)),
    field("Payment", "`" + escape(p.payment_id) + "`")
  ];
  const blocks = [
    { type: "header", text: { type: "plain_text", text: clip(title + ": " + amount, 150), emoji: true } },
    { type: "section", fields: fields }
  ];
  if (webhook.eventType === "payment.failed" && (p.error_code || p.error_message)) {
    const why = "*Why:* " + escape(p.error_message || "no message") + (p.error_code ? " (`" + escape(p.error_code) + "`)" : "");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(why, 3000) } });
  }
  if (p.invoice_url) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "<" + p.invoice_url + "|View the invoice>" } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: when(webhook.payload.timestamp) }] });

  webhook.payload = {
    text: title.replace(/^:[a-z_]+: /, "") + ": " + amount + " from " + escape(customer),
    blocks: blocks
  };
  return webhook;
}

// paymentMethod names the card ("VISA •••• 4242") or else the method.
function paymentMethod(p) {
  if (p.card_network && p.card_last_four) {
    return escape(p.card_network + " •••• " + p.card_last_four);
  }
  return escape(p.payment_method || "unknown");
}

// field is a section field in Slack's mrkdwn: a bold label over a value
// that is already escaped.
function field(label, value) {
  return { type: "mrkdwn", text: clip("*" + label + "*\n" + value, 2000) };
}

// when shows an RFC 3339 time in each reader's own time zone.
function when(timestamp) {
  return "<!date^" + hb.toUnixSeconds(timestamp) + "^{date_short_pretty} at {time}|" + timestamp + ">";
}

// escape keeps names with &, < or > from being read as Slack markup.
function escape(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// clip shortens s to at most n characters, which Block Kit requires.
function clip(s, n) {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}

// Posts refunds to Slack: whether the money went back to the customer,
// the amount in the currency's own units, whether it was partial, the
// payment it refunds and the reason given.
function handler(webhook) {
  const titles = {
    "refund.succeeded": ":leftwards_arrow_with_hook: Refund issued",
    "refund.failed": ":x: Refund failed"
  };
  const title = titles[webhook.eventType];
  if (!title) {
    return webhook;
  }
  const r = webhook.payload.data;
  const amount = hb.formatAmount(r.amount, r.currency) + " " + r.currency + (r.is_partial ? " (partial)" : "");
  const customer = r.customer.name + " (" + r.customer.email + ")";

  const blocks = [
    { type: "header", text: { type: "plain_text", text: clip(title + ": " + amount, 150), emoji: true } },
    { type: "section", fields: [
      field("Amount", escape(amount)),
      field("Customer", escape(customer)),
      field("Payment", "`" + escape(r.payment_id) + "`"),
      field("Refund", "`" + escape(r.refund_id) + "`")
    ] }
  ];
  if (r.reason) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip("*Reason:* " + escape(r.reason), 3000) } });
  }
  if (webhook.eventType === "refund.failed") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "The money stays with the business: refund the customer another way or try again." } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: when(webhook.payload.timestamp) }] });

  webhook.payload = {
    text: title.replace(/^:[a-z_]+: /, "") + ": " + escape(amount) + " to " + escape(customer),
    blocks: blocks
  };
  return webhook;
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

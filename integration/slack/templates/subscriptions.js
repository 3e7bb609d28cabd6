// Posts each step of a subscription's life to Slack: what happened, the
// customer, the price per period in the currency's own units, and the
// next billing date or, for a cancellation, the customer's comment.
function handler(webhook) {
  const titles = {
    "subscription.active": ":tada: New subscription",
    "subscription.renewed": ":repeat: Subscription renewed",
    "subscription.on_hold": ":warning: Subscription on hold (renewal payment failed)",
    "subscription.paused": ":double_vertical_bar: Subscription paused",
    "subscription.unpaused": ":arrow_forward: Subscription resumed",
    "subscription.cancelled": ":wave: Subscription cancelled",
    "subscription.failed": ":x: Subscription could not start",
    "subscription.expired": ":hourglass: Subscription expired",
    "subscription.plan_changed": ":arrows_counterclockwise: Subscription plan changed",
    "subscription.updated": ":pencil2: Subscription updated",
    "subscription.update_payment_method": ":credit_card: Subscription payment method replaced"
  };
  const title = titles[webhook.eventType];
  if (!title) {
    return webhook;
  }
  const s = webhook.payload.data;
  const price = hb.formatAmount(s.recurring_pre_tax_amount, s.currency) + " " + s.currency +
    " every " + period(s.payment_frequency_count, s.payment_frequency_interval) +
    (s.quantity > 1 ? " × " + s.quantity : "");
  const customer = s.customer.name + " (" + s.customer.email + ")";

  const fields = [
    field("Customer", escape(customer)),
    field("Price", escape(price)),
    field("Product", "`" + escape(s.product_id) + "`"),
    field("Subscription", "`" + escape(s.subscription_id) + "`")
  ];
  if (s.next_billing_date && isRunning(s.status)) {
    fields.push(field("Next billing", when(s.next_billing_date)));
  }
  const blocks = [
    { type: "header", text: { type: "plain_text", text: clip(title, 150), emoji: true } },
    { type: "section", fields: fields }
  ];
  if (webhook.eventType === "subscription.cancelled" && s.cancellation_comment) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip("> " + escape(s.cancellation_comment), 3000) } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: when(webhook.payload.timestamp) }] });

  webhook.payload = {
    text: title.replace(/^:[a-z0-9_]+: /, "") + ": " + escape(customer) + ", " + escape(price),
    blocks: blocks
  };
  return webhook;
}

// period reads "1 Month" as "month" and "3 Month" as "3 months".
function period(count, interval) {
  const unit = String(interval || "period").toLowerCase();
  return count > 1 ? count + " " + unit + "s" : unit;
}

// isRunning tells whether a subscription of this status will bill again.
function isRunning(status) {
  return status === "active" || status === "on_hold";
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

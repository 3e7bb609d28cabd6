// Sends each payment event to Inngest as "billing/payment.succeeded" (and
// failed, processing, cancelled), with the payment as data — plus
// amount_major and amount_formatted, currency-correct — the customer as
// user, and ts in milliseconds.
// hookbridge adds the event's id (the delivery's idempotency key, the same
// on every retry: Inngest starts functions once per id) and sends it to
// https://<event API host>/e/<event key>.
function handler(webhook) {
  const handled = ["payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  webhook.payload = {
    name: "billing/" + event.type,
    data: amounts(d, d.total_amount, d.currency),
    user: userOf(d.customer),
    ts: toMillis(event.timestamp)
  };
  return webhook;
}

// userOf is the Inngest user of a customer: external_id, email, name.
function userOf(customer) {
  if (!customer) {
    return undefined;
  }
  return { external_id: customer.customer_id, email: customer.email, name: customer.name };
}

// toMillis turns an RFC 3339 timestamp into Unix milliseconds, the unit
// of Inngest's ts ("2025-08-04T05:30:45.182629Z" → 1754285445182).
function toMillis(iso) {
  const fraction = /\.(\d+)/.exec(iso);
  const millis = fraction ? Number((fraction[1] + "00").slice(0, 3)) : 0;
  return hb.toUnixSeconds(iso) * 1000 + millis;
}

// amounts adds amount_major (a number in the currency's units) and
// amount_formatted ("32.65 USD") beside the minor units of data.
function amounts(data, minor, currency) {
  const major = hb.formatAmount(minor, currency);
  return Object.assign({}, data, { amount_major: Number(major), amount_formatted: major + " " + currency });
}

// Sends each dispute event to Inngest as "billing/dispute.<status>", with
// the dispute as data — plus amount_major and amount_formatted (a dispute
// carries its amount as a string of minor units) — and ts in milliseconds.
// A dispute names no customer, so the event has no user.
// hookbridge adds the event's id (the delivery's idempotency key, the same
// on every retry: Inngest starts functions once per id) and sends it to
// https://<event API host>/e/<event key>.
function handler(webhook) {
  const handled = [
    "dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
    "dispute.challenged", "dispute.won", "dispute.lost"
  ];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  webhook.payload = {
    name: "billing/" + event.type,
    data: amounts(d, d.amount, d.currency),
    ts: toMillis(event.timestamp)
  };
  return webhook;
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

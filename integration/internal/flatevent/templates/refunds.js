// Sends each refund event as one flat JSON object, the same in Zapier,
// Make, n8n and Pipedream: every field at the top level, the amount as a
// number in the currency's own units, as a formatted string and in minor
// units, and times as ISO 8601 text and Unix seconds.
function handler(webhook) {
  const handled = ["refund.succeeded", "refund.failed"];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const r = event.data;
  const customer = r.customer || {};
  webhook.payload = Object.assign(
    {
      event_type: event.type,
      occurred_at: event.timestamp,
      occurred_at_unix: hb.toUnixSeconds(event.timestamp),
      business_id: event.business_id,
      refund_id: r.refund_id,
      payment_id: r.payment_id,
      status: r.status,
      is_partial: r.is_partial === true,
      reason: r.reason || "",
      customer_id: customer.customer_id || "",
      customer_email: customer.email || "",
      customer_name: customer.name || ""
    },
    money("amount", r.amount, r.currency),
    { currency: r.currency },
    time("created_at", r.created_at)
  );
  return webhook;
}

// money returns name (a number in major units), name_formatted
// ("15.00 USD") and name_minor (the minor units as sent).
function money(name, minor, currency) {
  const out = {};
  const major = hb.formatAmount(minor == null ? 0 : minor, currency);
  out[name] = Number(major);
  out[name + "_formatted"] = major + " " + currency;
  out[name + "_minor"] = Number(minor == null ? 0 : minor);
  return out;
}

// time returns name (ISO 8601, "" when absent) and name_unix (seconds,
// null when absent).
function time(name, iso) {
  const out = {};
  out[name] = iso || "";
  out[name + "_unix"] = iso ? hb.toUnixSeconds(iso) : null;
  return out;
}

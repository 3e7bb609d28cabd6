// Sends each payment event as one flat JSON object, the same in Zapier,
// Make, n8n and Pipedream: every field is at the top level, so a field
// picker lists them all without digging into "data.customer…". Amounts
// come three ways: a number in the currency's own units (amount: 32.65,
// or 4980 for JPY), a formatted string ("32.65 USD") and the minor units
// as sent (3265). Times come as ISO 8601 text and as Unix seconds.
function handler(webhook) {
  const handled = ["payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const customer = p.customer || {};
  const billing = p.billing || {};
  webhook.payload = Object.assign(
    {
      event_type: event.type,
      occurred_at: event.timestamp,
      occurred_at_unix: hb.toUnixSeconds(event.timestamp),
      business_id: event.business_id,
      payment_id: p.payment_id,
      status: p.status,
      subscription_id: p.subscription_id || "",
      customer_id: customer.customer_id || "",
      customer_email: customer.email || "",
      customer_name: customer.name || "",
      billing_country: billing.country || ""
    },
    money("amount", p.total_amount, p.currency),
    money("tax", p.tax, p.currency),
    {
      currency: p.currency,
      payment_method: p.payment_method || "",
      card_last_four: p.card_last_four || "",
      card_network: p.card_network || "",
      error_code: p.error_code || "",
      error_message: p.error_message || "",
      invoice_url: p.invoice_url || ""
    },
    time("created_at", p.created_at)
  );
  return webhook;
}

// money returns name (a number in major units), name_formatted
// ("32.65 USD") and name_minor (the minor units as sent).
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

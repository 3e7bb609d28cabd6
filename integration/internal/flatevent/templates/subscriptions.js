// Sends each subscription event as one flat JSON object, the same in
// Zapier, Make, n8n and Pipedream: every field at the top level, the
// recurring amount as a number in the currency's own units, as a
// formatted string and in minor units, and every date as ISO 8601 text
// and Unix seconds.
function handler(webhook) {
  const handled = [
    "subscription.active", "subscription.renewed", "subscription.on_hold",
    "subscription.paused", "subscription.unpaused", "subscription.cancelled",
    "subscription.failed", "subscription.expired", "subscription.plan_changed",
    "subscription.updated", "subscription.update_payment_method"
  ];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  const customer = s.customer || {};
  webhook.payload = Object.assign(
    {
      event_type: event.type,
      occurred_at: event.timestamp,
      occurred_at_unix: hb.toUnixSeconds(event.timestamp),
      business_id: event.business_id,
      subscription_id: s.subscription_id,
      product_id: s.product_id,
      status: s.status,
      customer_id: customer.customer_id || "",
      customer_email: customer.email || "",
      customer_name: customer.name || ""
    },
    money("recurring_amount", s.recurring_pre_tax_amount, s.currency),
    {
      currency: s.currency,
      quantity: s.quantity,
      billing_interval: s.payment_frequency_count + " " + s.payment_frequency_interval,
      cancel_at_next_billing_date: s.cancel_at_next_billing_date === true,
      cancellation_feedback: s.cancellation_feedback || "",
      cancellation_comment: s.cancellation_comment || "",
      trial_period_days: s.trial_period_days || 0
    },
    time("next_billing_date", s.next_billing_date),
    time("previous_billing_date", s.previous_billing_date),
    time("cancelled_at", s.cancelled_at),
    time("paused_at", s.paused_at),
    time("expires_at", s.expires_at),
    time("created_at", s.created_at)
  );
  return webhook;
}

// money returns name (a number in major units), name_formatted
// ("29.99 USD") and name_minor (the minor units as sent).
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

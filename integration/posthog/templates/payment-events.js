// Captures payments in PostHog as payment_succeeded, payment_failed and
// payment_cancelled on the customer (distinct_id is the customer's id),
// with the amount in the currency's own units (400 JPY is 400, not 4.00).
// A succeeded payment carries revenue and currency, which PostHog's revenue
// analytics reads. The person's email and name are kept with $set.
// hookbridge adds the project API key and a uuid derived from the
// delivery, so a retried delivery is counted once.
function handler(webhook) {
  const names = {
    "payment.succeeded": "payment_succeeded",
    "payment.failed": "payment_failed",
    "payment.cancelled": "payment_cancelled"
  };
  const name = names[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const amount = Number(hb.formatAmount(p.total_amount, p.currency));
  const properties = {
    payment_id: p.payment_id,
    amount: amount,
    currency: p.currency,
    payment_method: p.payment_method || "unknown",
    subscription_id: p.subscription_id,
    $set: { email: p.customer.email, name: p.customer.name }
  };
  if (webhook.eventType === "payment.succeeded") {
    properties.revenue = amount;
  }
  if (webhook.eventType === "payment.failed") {
    properties.error_code = p.error_code;
    properties.error_message = p.error_message;
  }
  webhook.url = "https://us.i.posthog.com/i/v0/e/";
  webhook.payload = {
    event: name,
    distinct_id: p.customer.customer_id,
    properties: properties,
    timestamp: event.timestamp
  };
  return webhook;
}

// Tracks payments in Segment: "Payment Completed" and "Payment Failed",
// with the amount in the currency's own units (400 JPY is 400, not 4.00).
// hookbridge adds messageId (from the delivery's idempotency key), so a
// retried delivery is never counted twice.
function handler(webhook) {
  const events = {
    "payment.succeeded": "Payment Completed",
    "payment.failed": "Payment Failed"
  };
  const name = events[webhook.eventType];
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
    customer_email: p.customer.email,
    customer_name: p.customer.name
  };
  if (webhook.eventType === "payment.succeeded") {
    properties.revenue = amount;
  } else {
    properties.error_code = p.error_code;
    properties.error_message = p.error_message;
  }
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    userId: p.customer.customer_id,
    event: name,
    properties: properties,
    timestamp: event.timestamp
  };
  return webhook;
}

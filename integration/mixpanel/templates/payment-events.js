// Imports payments into Mixpanel: "Payment Completed" (with revenue),
// "Payment Failed", "Payment Processing" and "Payment Cancelled", the
// amount in the currency's own units (4980 JPY is 4980, 1999 EUR is
// 19.99). hookbridge adds $insert_id (from the delivery's idempotency
// key), so a retried delivery is counted once.
function handler(webhook) {
  const events = {
    "payment.succeeded": "Payment Completed",
    "payment.failed": "Payment Failed",
    "payment.processing": "Payment Processing",
    "payment.cancelled": "Payment Cancelled"
  };
  const name = events[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const amount = Number(hb.formatAmount(p.total_amount, p.currency));
  const properties = {
    time: hb.toUnixSeconds(event.timestamp) * 1000,
    distinct_id: p.customer.customer_id,
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
  }
  if (webhook.eventType === "payment.failed") {
    properties.error_code = p.error_code;
    properties.error_message = p.error_message;
  }
  webhook.url = "https://api.mixpanel.com/import?strict=1";
  webhook.payload = [{ event: name, properties: properties }];
  return webhook;
}

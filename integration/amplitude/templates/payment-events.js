// Sends payments to Amplitude: "Payment Completed" (with revenue),
// "Payment Failed", "Payment Processing" and "Payment Cancelled", the
// amount in the currency's own units (4980 JPY is 4980, 1999 EUR is
// 19.99). Amplitude sums revenue as plain numbers: keep one currency per
// project, or chart by the currency property. hookbridge adds api_key and
// insert_id (from the delivery's idempotency key), so a retried delivery
// is counted once.
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
  const out = {
    event_type: name,
    user_id: p.customer.customer_id,
    time: hb.toUnixSeconds(event.timestamp) * 1000,
    event_properties: {
      payment_id: p.payment_id,
      amount: amount,
      currency: p.currency,
      payment_method: p.payment_method || "unknown",
      subscription_id: p.subscription_id
    },
    user_properties: {
      email: p.customer.email,
      name: p.customer.name
    }
  };
  if (webhook.eventType === "payment.succeeded") {
    const products = p.product_cart || [];
    out.price = amount;
    out.quantity = 1;
    out.revenue = amount;
    out.revenueType = "purchase";
    if (products.length === 1) {
      out.productId = products[0].product_id;
    }
  }
  if (webhook.eventType === "payment.failed") {
    out.event_properties.error_code = p.error_code;
    out.event_properties.error_message = p.error_message;
  }
  webhook.url = "https://api2.amplitude.com/2/httpapi";
  webhook.payload = { events: [out] };
  return webhook;
}

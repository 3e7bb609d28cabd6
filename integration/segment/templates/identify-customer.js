// Keeps the customer's traits in Segment up to date after each successful
// payment: name, email, phone and details of the last payment.
function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const traits = {
    email: p.customer.email,
    name: p.customer.name,
    last_payment_amount: Number(hb.formatAmount(p.total_amount, p.currency)),
    last_payment_currency: p.currency,
    last_payment_method: p.payment_method || "unknown",
    last_payment_at: event.timestamp
  };
  if (p.customer.phone_number) {
    traits.phone = p.customer.phone_number;
  }
  if (p.billing && p.billing.country) {
    traits.address = { country: p.billing.country, city: p.billing.city, postal_code: p.billing.zipcode };
  }
  webhook.url = "https://api.segment.io/v1/identify";
  webhook.payload = {
    userId: p.customer.customer_id,
    traits: traits,
    timestamp: event.timestamp
  };
  return webhook;
}

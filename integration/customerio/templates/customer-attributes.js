// Keeps the customer's profile in Customer.io up to date after each
// successful payment: name, email and details of the last payment, for
// segments and personalisation. An identify sets attributes only; it
// triggers no campaign by itself.
// The identify carries the event's time as its timestamp, so that
// Customer.io keeps the newest payment's details even when deliveries
// arrive out of order (retries and batches reorder them). Amounts are
// numbers in the currency's own units (400 JPY is 400, 1234 KWD 1.234),
// dates unix seconds, as Customer.io's segments compare them.
function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  const eventTime = Math.floor(Date.parse(event.timestamp) / 1000);
  webhook.url = "https://track.customer.io/api/v2/entity";
  webhook.payload = {
    type: "person",
    identifiers: { id: p.customer.customer_id },
    action: "identify",
    timestamp: eventTime,
    attributes: {
      email: p.customer.email,
      name: p.customer.name,
      last_payment_amount: Number(hb.formatAmount(p.total_amount, p.currency)),
      last_payment_currency: p.currency,
      last_payment_method: p.payment_method || "unknown",
      last_payment_at: eventTime
    }
  };
  return webhook;
}

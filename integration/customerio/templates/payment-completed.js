// Tracks each successful payment as a "payment_completed" event on the
// paying customer, ready to trigger a Customer.io campaign.
// hookbridge adds the event id (from the delivery's idempotency key), so a
// retried delivery is never counted twice. The amount is a number in the
// currency's own units (400 JPY is 400, 1234 KWD 1.234).

// The event carries the payment's time. Customer.io triggers no campaign
// from an event timestamped more than 72 hours before it arrives (a late
// replay or resend, say). Set USE_SEND_TIME to true to leave the timestamp
// out instead: Customer.io then stamps the event with the time it receives
// it, and campaigns trigger however late the delivery, at the cost of an
// event time that may not be the payment's.
const USE_SEND_TIME = false;

function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    return webhook;
  }
  const event = webhook.payload;
  const p = event.data;
  webhook.url = "https://track.customer.io/api/v2/entity";
  webhook.payload = {
    type: "person",
    identifiers: { id: p.customer.customer_id },
    action: "event",
    name: "payment_completed",
    timestamp: Math.floor(Date.parse(event.timestamp) / 1000),
    attributes: {
      email: p.customer.email,
      name: p.customer.name,
      payment_amount: Number(hb.formatAmount(p.total_amount, p.currency)),
      payment_method: p.payment_method || "unknown",
      payment_id: p.payment_id,
      currency: p.currency
    }
  };
  if (USE_SEND_TIME) {
    delete webhook.payload.timestamp;
  }
  return webhook;
}

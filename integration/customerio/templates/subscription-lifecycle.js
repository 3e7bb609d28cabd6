// Tracks subscription starts and cancellations as "subscription_started"
// and "subscription_cancelled" events on the customer, with the recurring
// amount as a number in the currency's own units.

// The event carries the subscription event's time. Customer.io triggers no
// campaign from an event timestamped more than 72 hours before it arrives
// (a late replay or resend, say). Set USE_SEND_TIME to true to leave the
// timestamp out instead: Customer.io then stamps the event with the time it
// receives it, and campaigns trigger however late the delivery.
const USE_SEND_TIME = false;

function handler(webhook) {
  const names = {
    "subscription.active": "subscription_started",
    "subscription.cancelled": "subscription_cancelled"
  };
  const name = names[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  const attributes = {
    email: s.customer.email,
    subscription_id: s.subscription_id,
    product_id: s.product_id,
    amount: Number(hb.formatAmount(s.recurring_pre_tax_amount, s.currency)),
    currency: s.currency,
    frequency: s.payment_frequency_interval,
    next_billing: s.next_billing_date
  };
  if (webhook.eventType === "subscription.cancelled") {
    attributes.cancelled_at = s.cancelled_at;
    attributes.cancel_at_next_billing = s.cancel_at_next_billing_date;
  }
  webhook.url = "https://track.customer.io/api/v2/entity";
  webhook.payload = {
    type: "person",
    identifiers: { id: s.customer.customer_id },
    action: "event",
    name: name,
    timestamp: Math.floor(Date.parse(event.timestamp) / 1000),
    attributes: attributes
  };
  if (USE_SEND_TIME) {
    delete webhook.payload.timestamp;
  }
  return webhook;
}

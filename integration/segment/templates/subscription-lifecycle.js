// Tracks every step of a subscription's life in Segment, one event name
// per step, with the recurring amount in the currency's own units.
function handler(webhook) {
  const events = {
    "subscription.active": "Subscription Started",
    "subscription.renewed": "Subscription Renewed",
    "subscription.on_hold": "Subscription On Hold",
    "subscription.failed": "Subscription Failed",
    "subscription.expired": "Subscription Expired",
    "subscription.cancelled": "Subscription Cancelled"
  };
  const name = events[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  const properties = {
    subscription_id: s.subscription_id,
    product_id: s.product_id,
    status: s.status,
    amount: Number(hb.formatAmount(s.recurring_pre_tax_amount, s.currency)),
    currency: s.currency,
    quantity: s.quantity,
    frequency: s.payment_frequency_interval,
    next_billing: s.next_billing_date,
    customer_email: s.customer.email
  };
  if (webhook.eventType === "subscription.cancelled") {
    properties.cancelled_at = s.cancelled_at;
    properties.cancel_at_next_billing = s.cancel_at_next_billing_date;
    properties.cancellation_reason = s.cancellation_feedback;
  }
  if (webhook.eventType === "subscription.expired") {
    properties.expired_at = s.expires_at;
  }
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    userId: s.customer.customer_id,
    event: name,
    properties: properties,
    timestamp: event.timestamp
  };
  return webhook;
}

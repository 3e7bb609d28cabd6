// Sends the subscription lifecycle to Amplitude, one event per change,
// with the recurring price in the currency's own units, and keeps the
// customer's plan and subscription status as user properties. Revenue is
// counted by the payment template, not here, so that a renewal is not
// counted twice.
function handler(webhook) {
  const events = {
    "subscription.active": "Subscription Started",
    "subscription.renewed": "Subscription Renewed",
    "subscription.on_hold": "Subscription On Hold",
    "subscription.paused": "Subscription Paused",
    "subscription.unpaused": "Subscription Resumed",
    "subscription.cancelled": "Subscription Cancelled",
    "subscription.failed": "Subscription Failed",
    "subscription.expired": "Subscription Expired",
    "subscription.plan_changed": "Subscription Plan Changed",
    "subscription.updated": "Subscription Updated",
    "subscription.update_payment_method": "Subscription Payment Method Updated"
  };
  const name = events[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  webhook.url = "https://api2.amplitude.com/2/httpapi";
  webhook.payload = {
    events: [{
      event_type: name,
      user_id: s.customer.customer_id,
      time: hb.toUnixSeconds(event.timestamp) * 1000,
      event_properties: {
        subscription_id: s.subscription_id,
        product_id: s.product_id,
        recurring_amount: Number(hb.formatAmount(s.recurring_pre_tax_amount, s.currency)),
        currency: s.currency,
        quantity: s.quantity,
        billing_interval: s.payment_frequency_count + " " + s.payment_frequency_interval,
        next_billing_date: s.next_billing_date,
        cancel_at_next_billing_date: s.cancel_at_next_billing_date
      },
      user_properties: {
        subscription_status: s.status,
        subscription_product_id: s.product_id
      }
    }]
  };
  return webhook;
}

// Captures the subscription's life in PostHog on the customer
// (distinct_id is the customer's id): subscription_started, _renewed,
// _on_hold, _paused, _resumed, _plan_changed, _failed, _expired and
// _cancelled, with the recurring amount in the currency's own units. The
// person's subscription_status, plan and next billing date are kept
// current with $set, for cohorts such as "on hold".
function handler(webhook) {
  const names = {
    "subscription.active": "subscription_started",
    "subscription.renewed": "subscription_renewed",
    "subscription.on_hold": "subscription_on_hold",
    "subscription.paused": "subscription_paused",
    "subscription.unpaused": "subscription_resumed",
    "subscription.plan_changed": "subscription_plan_changed",
    "subscription.failed": "subscription_failed",
    "subscription.expired": "subscription_expired",
    "subscription.cancelled": "subscription_cancelled"
  };
  const name = names[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const s = event.data;
  webhook.url = "https://us.i.posthog.com/i/v0/e/";
  webhook.payload = {
    event: name,
    distinct_id: s.customer.customer_id,
    properties: {
      subscription_id: s.subscription_id,
      product_id: s.product_id,
      status: s.status,
      amount: Number(hb.formatAmount(s.recurring_pre_tax_amount, s.currency)),
      currency: s.currency,
      frequency: s.payment_frequency_count + " " + s.payment_frequency_interval,
      next_billing_date: s.next_billing_date,
      cancel_at_next_billing_date: s.cancel_at_next_billing_date,
      $set: {
        email: s.customer.email,
        name: s.customer.name,
        subscription_status: s.status,
        subscription_product_id: s.product_id,
        subscription_next_billing_date: s.next_billing_date
      }
    },
    timestamp: event.timestamp
  };
  return webhook;
}

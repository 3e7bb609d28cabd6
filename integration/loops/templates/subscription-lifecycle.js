// Sends a Loops event for each step of a subscription (POST
// /api/v1/events/send), so that Loops workflows can email the customer:
// subscriptionActive, subscriptionRenewed, subscriptionPlanChanged,
// subscriptionPaused, subscriptionUnpaused, subscriptionOnHold,
// subscriptionFailed, subscriptionCancelled and subscriptionExpired. In
// Loops, build a workflow that starts on the event. Event properties:
// subscriptionId, productId, price (in the currency's own units, such as
// "USD 29.99"), currency, quantity, interval and nextBillingDate.
// hookbridge sends the delivery's idempotency key as Idempotency-Key, so a
// retried delivery never triggers a workflow twice.
const EVENTS = {
  "subscription.active": "subscriptionActive",
  "subscription.renewed": "subscriptionRenewed",
  "subscription.plan_changed": "subscriptionPlanChanged",
  "subscription.paused": "subscriptionPaused",
  "subscription.unpaused": "subscriptionUnpaused",
  "subscription.on_hold": "subscriptionOnHold",
  "subscription.failed": "subscriptionFailed",
  "subscription.cancelled": "subscriptionCancelled",
  "subscription.expired": "subscriptionExpired"
};

function handler(webhook) {
  const eventName = EVENTS[webhook.eventType];
  if (!eventName) {
    return webhook;
  }
  const s = webhook.payload.data;
  webhook.url = "https://app.loops.so/api/v1/events/send";
  webhook.payload = {
    email: s.customer.email,
    userId: s.customer.customer_id,
    eventName: eventName,
    eventProperties: {
      subscriptionId: s.subscription_id,
      productId: s.product_id,
      price: s.currency + " " + hb.formatAmount(s.recurring_pre_tax_amount, s.currency),
      currency: s.currency,
      quantity: s.quantity,
      interval: s.payment_frequency_count + " " + s.payment_frequency_interval,
      nextBillingDate: s.next_billing_date || ""
    }
  };
  return webhook;
}

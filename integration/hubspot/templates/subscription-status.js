// Keeps the customer's HubSpot contact current with their subscription,
// upserting the contact by email: subscription_status (the subscription's
// own status), its id and product, the recurring amount in the currency's
// own units, and the next billing date.
//
// Create these contact properties in HubSpot first (Settings → Properties):
// subscription_status (dropdown: pending, active, on_hold, paused,
// cancelled, failed, expired), subscription_id and subscription_product_id
// (single-line text), subscription_amount (number), subscription_currency
// (single-line text), subscription_next_billing_date (date and time).
function handler(webhook) {
  const handled = [
    "subscription.active", "subscription.renewed", "subscription.on_hold",
    "subscription.paused", "subscription.unpaused", "subscription.plan_changed",
    "subscription.failed", "subscription.expired", "subscription.cancelled"
  ];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const s = webhook.payload.data;
  const properties = {
    subscription_status: s.status,
    subscription_id: s.subscription_id,
    subscription_product_id: s.product_id,
    subscription_amount: Number(hb.formatAmount(s.recurring_pre_tax_amount, s.currency)),
    subscription_currency: s.currency,
    subscription_next_billing_date: s.next_billing_date
  };
  webhook.url = "https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert";
  webhook.payload = {
    inputs: [{ idProperty: "email", id: s.customer.email, properties: properties }]
  };
  return webhook;
}

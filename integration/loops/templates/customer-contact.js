// Keeps the customer's Loops contact up to date with their subscription
// (PUT /api/v1/contacts/update), so that Loops segments and campaigns can
// use it: subscriptionStatus, subscriptionId, productId and
// nextBillingDate. Create these custom contact properties in Loops first
// (Audience → Contact properties): Loops refuses properties it does not
// know. The contact is found by email or userId, and created if missing.
function handler(webhook) {
  if (webhook.eventType.indexOf("subscription.") !== 0) {
    return webhook;
  }
  const s = webhook.payload.data;
  const name = String(s.customer.name || "").split(" ");
  webhook.url = "https://app.loops.so/api/v1/contacts/update";
  webhook.method = "PUT";
  webhook.payload = {
    email: s.customer.email,
    userId: s.customer.customer_id,
    firstName: name[0] || "",
    lastName: name.slice(1).join(" "),
    subscriptionStatus: s.status,
    subscriptionId: s.subscription_id,
    productId: s.product_id,
    nextBillingDate: s.next_billing_date || null
  };
  return webhook;
}

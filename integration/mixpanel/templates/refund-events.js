// Imports refunds into Mixpanel: "Refund Issued" and "Refund Failed", the
// amount in the currency's own units. An issued refund also carries
// revenue as a negative number, so that a revenue sum nets it out.
function handler(webhook) {
  const events = {
    "refund.succeeded": "Refund Issued",
    "refund.failed": "Refund Failed"
  };
  const name = events[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const r = event.data;
  const amount = Number(hb.formatAmount(r.amount, r.currency));
  const properties = {
    time: hb.toUnixSeconds(event.timestamp) * 1000,
    distinct_id: r.customer.customer_id,
    refund_id: r.refund_id,
    payment_id: r.payment_id,
    amount: amount,
    currency: r.currency,
    is_partial: r.is_partial,
    reason: r.reason
  };
  if (webhook.eventType === "refund.succeeded") {
    properties.revenue = -amount;
  }
  webhook.url = "https://api.mixpanel.com/import?strict=1";
  webhook.payload = [{ event: name, properties: properties }];
  return webhook;
}

// Sends refunds to Amplitude: "Refund Issued", whose negative revenue
// (revenueType "refund") nets the refund out of revenue charts, and
// "Refund Failed"; amounts in the currency's own units.
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
  const out = {
    event_type: name,
    user_id: r.customer.customer_id,
    time: hb.toUnixSeconds(event.timestamp) * 1000,
    event_properties: {
      refund_id: r.refund_id,
      payment_id: r.payment_id,
      amount: amount,
      currency: r.currency,
      is_partial: r.is_partial,
      reason: r.reason
    }
  };
  if (webhook.eventType === "refund.succeeded") {
    out.price = -amount;
    out.quantity = 1;
    out.revenue = -amount;
    out.revenueType = "refund";
  }
  webhook.url = "https://api2.amplitude.com/2/httpapi";
  webhook.payload = { events: [out] };
  return webhook;
}

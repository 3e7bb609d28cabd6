// Sends disputes to Amplitude, one event per stage, the disputed amount in
// the currency's own units. Dispute webhooks name the payment but no
// customer, and Amplitude needs a user_id or a device_id, so the payment
// id stands as the device_id: each dispute's events stay together and
// can be joined to the payment on payment_id.
function handler(webhook) {
  const events = {
    "dispute.opened": "Dispute Opened",
    "dispute.expired": "Dispute Expired",
    "dispute.accepted": "Dispute Accepted",
    "dispute.cancelled": "Dispute Cancelled",
    "dispute.challenged": "Dispute Challenged",
    "dispute.won": "Dispute Won",
    "dispute.lost": "Dispute Lost"
  };
  const name = events[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  const out = {
    event_type: name,
    time: hb.toUnixSeconds(event.timestamp) * 1000,
    event_properties: {
      dispute_id: d.dispute_id,
      payment_id: d.payment_id,
      amount: Number(hb.formatAmount(String(d.amount), d.currency)),
      currency: d.currency,
      stage: d.dispute_stage,
      status: d.dispute_status
    }
  };
  if (d.customer && d.customer.customer_id) {
    out.user_id = d.customer.customer_id;
  } else {
    out.device_id = d.payment_id;
  }
  webhook.url = "https://api2.amplitude.com/2/httpapi";
  webhook.payload = { events: [out] };
  return webhook;
}

// Imports disputes into Mixpanel, one event per stage, the disputed amount
// in the currency's own units. Dispute webhooks name the payment but no
// customer, so distinct_id is "": Mixpanel keeps the events (for counts
// and sums) but leaves them out of per-user analysis. Join on payment_id.
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
  webhook.url = "https://api.mixpanel.com/import?strict=1";
  webhook.payload = [{
    event: name,
    properties: {
      time: hb.toUnixSeconds(event.timestamp) * 1000,
      distinct_id: d.customer ? d.customer.customer_id : "",
      dispute_id: d.dispute_id,
      payment_id: d.payment_id,
      amount: Number(hb.formatAmount(String(d.amount), d.currency)),
      currency: d.currency,
      stage: d.dispute_stage,
      status: d.dispute_status
    }
  }];
  return webhook;
}

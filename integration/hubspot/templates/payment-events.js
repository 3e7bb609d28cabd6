// Sends a custom event to the customer's contact (found by email) for
// every payment and refund, with the amount as a number in the currency's
// own units. HubSpot keeps every occurrence, so reports can sum the amount
// of "payment succeeded" per contact: that is the lifetime value, which a
// contact property set by one request at a time cannot hold.
//
// Custom events need a HubSpot Enterprise account. Create the four events
// in Data Management → Custom Events, each with the properties amount
// (number), currency, payment_id, and refund_id / reason where they apply,
// then put their fully qualified names below: 1234567 stands for your Hub
// ID. hookbridge gives each occurrence a uuid derived from the delivery,
// so a retried delivery names the same occurrence.
const EVENT_NAMES = {
  "payment.succeeded": "pe1234567_payment_succeeded",
  "payment.failed": "pe1234567_payment_failed",
  "refund.succeeded": "pe1234567_refund_succeeded",
  "refund.failed": "pe1234567_refund_failed"
};

// HubSpot takes at most 50 characters in a custom event's text property.
function short(text) {
  return String(text).slice(0, 50);
}

function handler(webhook) {
  const name = EVENT_NAMES[webhook.eventType];
  if (!name) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  const properties = { payment_id: d.payment_id };
  if (webhook.eventType.indexOf("payment.") === 0) {
    properties.amount = Number(hb.formatAmount(d.total_amount, d.currency));
    properties.currency = d.currency;
  } else {
    properties.refund_id = d.refund_id;
    if (d.reason) {
      properties.reason = short(d.reason);
    }
    if (d.amount !== null && d.currency !== null) {
      properties.amount = Number(hb.formatAmount(d.amount, d.currency));
      properties.currency = d.currency;
    }
  }
  webhook.url = "https://api.hubapi.com/events/v3/send";
  webhook.payload = {
    eventName: name,
    email: d.customer.email,
    occurredAt: event.timestamp,
    properties: properties
  };
  return webhook;
}

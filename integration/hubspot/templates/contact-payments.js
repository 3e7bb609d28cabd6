// Keeps the customer's HubSpot contact current with their last payment and
// last refund, upserting the contact by email (it is created if HubSpot
// does not know the address yet). Amounts are numbers in the currency's
// own units (400 JPY is 400, not 4.00).
//
// HubSpot keeps what each request sets, so the contact shows the last
// payment, not a sum: a lifetime value needs every payment, which the
// "Custom events per payment and refund" template sends for HubSpot to sum.
//
// Create these contact properties in HubSpot first (Settings → Properties):
// last_payment_amount (number), last_payment_currency (single-line text),
// last_payment_date (date and time), last_payment_id (single-line text),
// last_payment_status (dropdown: succeeded, failed), last_refund_amount
// (number), last_refund_date (date and time).
function handler(webhook) {
  const type = webhook.eventType;
  const event = webhook.payload;
  const d = event.data;
  let properties;
  if (type === "payment.succeeded") {
    properties = {
      last_payment_amount: Number(hb.formatAmount(d.total_amount, d.currency)),
      last_payment_currency: d.currency,
      last_payment_date: event.timestamp,
      last_payment_id: d.payment_id,
      last_payment_status: "succeeded"
    };
  } else if (type === "payment.failed") {
    properties = {
      last_payment_date: event.timestamp,
      last_payment_id: d.payment_id,
      last_payment_status: "failed"
    };
  } else if (type === "refund.succeeded") {
    properties = { last_refund_date: event.timestamp };
    if (d.amount !== null && d.currency !== null) {
      properties.last_refund_amount = Number(hb.formatAmount(d.amount, d.currency));
    }
  } else {
    return webhook;
  }
  if (d.customer.phone_number) {
    properties.phone = d.customer.phone_number;
  }
  webhook.url = "https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert";
  webhook.payload = {
    inputs: [{ idProperty: "email", id: d.customer.email, properties: properties }]
  };
  return webhook;
}

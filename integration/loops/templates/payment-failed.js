// Tells the customer a payment failed, through a Loops transactional email
// (POST /api/v1/transactional). Publish the email in Loops and copy its ID
// into TRANSACTIONAL_ID; set UPDATE_URL to where customers update their
// payment method. Data variables: customerName, amount (in the currency's
// own units), reason, cardLastFour and updateUrl.
const TRANSACTIONAL_ID = "REPLACE_WITH_FAILED_PAYMENT_TRANSACTIONAL_ID";
const UPDATE_URL = "https://example.com/account/billing";

function handler(webhook) {
  if (webhook.eventType !== "payment.failed") {
    return webhook;
  }
  const p = webhook.payload.data;
  webhook.url = "https://app.loops.so/api/v1/transactional";
  webhook.payload = {
    transactionalId: TRANSACTIONAL_ID,
    email: p.customer.email,
    dataVariables: {
      customerName: p.customer.name || "",
      amount: p.currency + " " + hb.formatAmount(p.total_amount, p.currency),
      reason: p.error_message || "Your bank declined the payment.",
      cardLastFour: p.card_last_four || "",
      updateUrl: UPDATE_URL
    }
  };
  return webhook;
}

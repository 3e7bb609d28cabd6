// Sends the customer a receipt when a payment succeeds, through a Loops
// transactional email (POST /api/v1/transactional). Design the email in
// Loops (Transactional → New), publish it, and copy its ID into
// TRANSACTIONAL_ID. The email can use these data variables: customerName,
// amount (in the currency's own units, such as "JPY 4980" or
// "USD 32.65"), tax, paidWith, paymentId and invoiceUrl.
// hookbridge sends the delivery's idempotency key as Idempotency-Key, so a
// retried delivery never sends the receipt twice.
const TRANSACTIONAL_ID = "REPLACE_WITH_RECEIPT_TRANSACTIONAL_ID";

function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
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
      tax: p.currency + " " + hb.formatAmount(p.tax || 0, p.currency),
      paidWith: p.card_last_four ? (p.card_network || "Card") + " ending " + p.card_last_four : (p.payment_method || ""),
      paymentId: p.payment_id,
      invoiceUrl: p.invoice_url || ""
    }
  };
  return webhook;
}

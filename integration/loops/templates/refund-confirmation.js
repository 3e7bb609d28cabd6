// Confirms a refund to the customer, through a Loops transactional email
// (POST /api/v1/transactional). Publish the email in Loops and copy its ID
// into TRANSACTIONAL_ID. Data variables: customerName, amount (in the
// currency's own units), refundKind ("full" or "partial"), reason and
// paymentId.
const TRANSACTIONAL_ID = "REPLACE_WITH_REFUND_TRANSACTIONAL_ID";

function handler(webhook) {
  if (webhook.eventType !== "refund.succeeded") {
    return webhook;
  }
  const r = webhook.payload.data;
  webhook.url = "https://app.loops.so/api/v1/transactional";
  webhook.payload = {
    transactionalId: TRANSACTIONAL_ID,
    email: r.customer.email,
    dataVariables: {
      customerName: r.customer.name || "",
      amount: r.currency + " " + hb.formatAmount(r.amount, r.currency),
      refundKind: r.is_partial ? "partial" : "full",
      reason: r.reason || "",
      paymentId: r.payment_id
    }
  };
  return webhook;
}

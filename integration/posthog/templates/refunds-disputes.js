// Captures refunds on the customer (refund_succeeded, refund_failed) and
// disputes as dispute_opened, _challenged, _accepted, _cancelled, _expired,
// _won and _lost, amounts in the currency's own units.
//
// A dispute names the payment, not the customer, so its events have no
// person: distinct_id is "payment:" and the payment id, and
// $process_person_profile is false, so that PostHog creates no person for
// it. Join them to the customer's payment_succeeded on payment_id.
function handler(webhook) {
  const type = webhook.eventType;
  const event = webhook.payload;
  const d = event.data;
  let payload;
  if (type === "refund.succeeded" || type === "refund.failed") {
    payload = {
      event: type.replace(".", "_"),
      distinct_id: d.customer.customer_id,
      properties: {
        refund_id: d.refund_id,
        payment_id: d.payment_id,
        amount: d.amount === null || d.currency === null ? null : Number(hb.formatAmount(d.amount, d.currency)),
        currency: d.currency,
        partial: d.is_partial,
        reason: d.reason
      }
    };
  } else if (type.indexOf("dispute.") === 0) {
    payload = {
      event: type.replace(".", "_"),
      distinct_id: "payment:" + d.payment_id,
      properties: {
        $process_person_profile: false,
        dispute_id: d.dispute_id,
        payment_id: d.payment_id,
        amount: Number(hb.formatAmount(d.amount, d.currency)),
        currency: d.currency,
        stage: d.dispute_stage,
        status: d.dispute_status,
        remarks: d.remarks
      }
    };
  } else {
    return webhook;
  }
  payload.timestamp = event.timestamp;
  webhook.url = "https://us.i.posthog.com/i/v0/e/";
  webhook.payload = payload;
  return webhook;
}

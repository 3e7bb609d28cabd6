// Alerts your own team, not the customer, when a dispute is opened,
// changes stage or is settled, through a Loops transactional email (POST
// /api/v1/transactional) to TEAM_EMAIL. A transactional email has one
// recipient: use a team list address. Publish the email in Loops and copy
// its ID into TRANSACTIONAL_ID. Data variables: headline, amount (in the
// currency's own units), paymentId, disputeId, stage, status and remarks.
// The team address is not added to your Loops audience.
const TRANSACTIONAL_ID = "REPLACE_WITH_DISPUTE_ALERT_TRANSACTIONAL_ID";
const TEAM_EMAIL = "payments-team@example.com";

const HEADLINES = {
  "dispute.opened": "Dispute opened: respond before the deadline",
  "dispute.challenged": "Dispute challenged: the issuer is reviewing your evidence",
  "dispute.accepted": "Dispute accepted: the funds go back to the cardholder",
  "dispute.cancelled": "Dispute cancelled by the cardholder",
  "dispute.expired": "Dispute expired without a response",
  "dispute.won": "Dispute won: the funds are reinstated",
  "dispute.lost": "Dispute lost"
};

function handler(webhook) {
  const headline = HEADLINES[webhook.eventType];
  if (!headline) {
    return webhook;
  }
  const d = webhook.payload.data;
  webhook.url = "https://app.loops.so/api/v1/transactional";
  webhook.payload = {
    transactionalId: TRANSACTIONAL_ID,
    email: TEAM_EMAIL,
    addToAudience: false,
    dataVariables: {
      headline: headline,
      amount: d.currency + " " + hb.formatAmount(d.amount, d.currency),
      paymentId: d.payment_id,
      disputeId: d.dispute_id,
      stage: d.dispute_stage || "",
      status: d.dispute_status || "",
      remarks: d.remarks || ""
    }
  };
  return webhook;
}

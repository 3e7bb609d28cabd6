// Alerts your own team, not the customer, when a dispute (chargeback) is
// opened, changes stage or is settled, through SendGrid (POST
// /v3/mail/send). Set FROM to a Verified Sender of your SendGrid account
// and TEAM to your team's addresses. Amounts are in the currency's own
// units.
const FROM = { email: "alerts@example.com", name: "Payments alerts" };
const TEAM = ["payments-team@example.com"];

function esc(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Headline and what to do for each event type.
const STAGES = {
  "dispute.opened": ["Dispute opened", "Gather evidence (receipt, delivery proof, customer messages) and respond before the deadline."],
  "dispute.challenged": ["Dispute challenged", "Your evidence was submitted; the issuer is reviewing it."],
  "dispute.accepted": ["Dispute accepted", "The dispute was accepted: the funds go back to the cardholder."],
  "dispute.cancelled": ["Dispute cancelled", "The cardholder withdrew the dispute."],
  "dispute.expired": ["Dispute expired", "The response window closed without a response."],
  "dispute.won": ["Dispute won", "The issuer ruled in your favour; the funds are reinstated."],
  "dispute.lost": ["Dispute lost", "The issuer ruled for the cardholder; the funds are not returned."]
};

function handler(webhook) {
  const stage = STAGES[webhook.eventType];
  if (!stage) {
    return webhook;
  }
  const d = webhook.payload.data;
  const amount = d.currency + " " + hb.formatAmount(d.amount, d.currency);
  const rows = [
    ["Amount", amount],
    ["Payment", d.payment_id],
    ["Dispute", d.dispute_id],
    ["Stage", d.dispute_stage],
    ["Status", d.dispute_status],
    ["Remarks", d.remarks || ""]
  ];
  let html = "<h1>" + esc(stage[0]) + ": " + esc(amount) + "</h1><p>" + esc(stage[1]) + "</p><table>";
  let text = stage[0] + ": " + amount + "\n" + stage[1] + "\n\n";
  for (const [label, value] of rows) {
    html += "<tr><td>" + esc(label) + "</td><td>" + esc(value) + "</td></tr>";
    text += label + ": " + value + "\n";
  }
  html += "</table>";
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = mail(TEAM, "[" + stage[0] + "] " + amount + " on payment " + d.payment_id, html, text, webhook.eventType.replace(".", "_"));
  return webhook;
}

// mail is a Mail Send request: one personalization to the recipients, the
// plain text first (SendGrid requires text/plain before text/html).
function mail(to, subject, html, text, category) {
  return {
    personalizations: [{ to: to.map(function (email) { return { email: email }; }) }],
    from: FROM,
    subject: subject,
    content: [{ type: "text/plain", value: text }, { type: "text/html", value: html }],
    categories: [category]
  };
}

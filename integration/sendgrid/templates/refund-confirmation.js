// Confirms a refund to the customer, through SendGrid (POST
// /v3/mail/send). Set FROM to a Verified Sender of your SendGrid account.
// Amounts are in the currency's own units.
const FROM = { email: "billing@example.com", name: "Billing" };
const COMPANY = "Example Inc.";

function esc(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function handler(webhook) {
  if (webhook.eventType !== "refund.succeeded") {
    return webhook;
  }
  const r = webhook.payload.data;
  const amount = r.currency + " " + hb.formatAmount(r.amount, r.currency);
  const kind = r.is_partial ? "a partial refund" : "a full refund";
  const name = r.customer.name || "there";
  let html = "<h1>Your refund is on its way</h1>" +
    "<p>Hi " + esc(name) + ", we issued " + kind + " of <strong>" + esc(amount) + "</strong> for payment " + esc(r.payment_id) + ".</p>";
  let text = "Hi " + name + ", we issued " + kind + " of " + amount + " for payment " + r.payment_id + ".\n";
  if (r.reason) {
    html += "<p>Reason: " + esc(r.reason) + "</p>";
    text += "Reason: " + r.reason + "\n";
  }
  html += "<p>Depending on your bank, it shows on your statement within 5 to 10 business days.</p><p>" + esc(COMPANY) + "</p>";
  text += "\nDepending on your bank, it shows on your statement within 5 to 10 business days.\n\n" + COMPANY;
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = mail([r.customer.email], "Refund of " + amount + " issued", html, text, "refund_succeeded");
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

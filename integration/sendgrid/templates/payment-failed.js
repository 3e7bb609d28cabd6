// Tells the customer that a payment failed, why, and what to do, through
// SendGrid (POST /v3/mail/send). Set FROM to a Verified Sender of your
// SendGrid account (or an address on an authenticated domain), and
// UPDATE_URL to where customers update their payment method. Amounts are
// in the currency's own units.
const FROM = { email: "billing@example.com", name: "Billing" };
const COMPANY = "Example Inc.";
const UPDATE_URL = "https://example.com/account/billing";

function esc(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function handler(webhook) {
  if (webhook.eventType !== "payment.failed") {
    return webhook;
  }
  const p = webhook.payload.data;
  const amount = p.currency + " " + hb.formatAmount(p.total_amount, p.currency);
  const why = p.error_message || "Your bank declined the payment.";
  const card = p.card_last_four ? "your card ending " + p.card_last_four : "your payment method";
  const name = p.customer.name || "there";
  const html = "<h1>Your payment did not go through</h1>" +
    "<p>Hi " + esc(name) + ", we could not charge " + esc(card) + " for <strong>" + esc(amount) + "</strong>.</p>" +
    "<p>Reason: " + esc(why) + "</p>" +
    "<p><a href=\"" + esc(UPDATE_URL) + "\">Update your payment method</a> and we will try again.</p>" +
    "<p>" + esc(COMPANY) + "</p>";
  const text = "Hi " + name + ", we could not charge " + card + " for " + amount + ".\n" +
    "Reason: " + why + "\n\nUpdate your payment method: " + UPDATE_URL + "\n\n" + COMPANY;
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = mail([p.customer.email], "Action needed: your payment of " + amount + " failed", html, text, "payment_failed");
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

// Emails the customer a receipt when a payment succeeds, through SendGrid
// (POST /v3/mail/send). Set FROM to a Verified Sender of your SendGrid
// account (or an address on an authenticated domain): a template cannot
// read the endpoint's credentials, so the sender is written here. Amounts
// are in the currency's own units (JPY 4980, USD 32.65, KWD 1.250).
const FROM = { email: "billing@example.com", name: "Billing" };
const COMPANY = "Example Inc.";

function esc(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    return webhook;
  }
  const p = webhook.payload.data;
  const amount = p.currency + " " + hb.formatAmount(p.total_amount, p.currency);
  const tax = p.currency + " " + hb.formatAmount(p.tax || 0, p.currency);
  const card = p.card_last_four ? (p.card_network || "Card") + " ending " + p.card_last_four : (p.payment_method || "");
  const name = p.customer.name || "there";
  const rows = [
    ["Amount paid", amount],
    ["Of which tax", tax],
    ["Paid with", card],
    ["Payment", p.payment_id]
  ];
  let html = "<h1>Thank you for your payment</h1>" +
    "<p>Hi " + esc(name) + ", we received your payment of <strong>" + esc(amount) + "</strong>.</p><table>";
  let text = "Hi " + name + ", we received your payment of " + amount + ".\n\n";
  for (const [label, value] of rows) {
    html += "<tr><td>" + esc(label) + "</td><td>" + esc(value) + "</td></tr>";
    text += label + ": " + value + "\n";
  }
  html += "</table>";
  if (p.invoice_url) {
    html += "<p><a href=\"" + esc(p.invoice_url) + "\">Download your invoice</a></p>";
    text += "\nInvoice: " + p.invoice_url + "\n";
  }
  html += "<p>" + esc(COMPANY) + "</p>";
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = mail([p.customer.email], "Your receipt from " + COMPANY + ": " + amount, html, text + "\n" + COMPANY, "payment_succeeded");
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

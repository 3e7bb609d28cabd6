// Emails the customer a receipt when a payment succeeds, through Resend
// (POST /emails). Set FROM to an address on a domain you verified in
// Resend (Domains): a template cannot read the endpoint's credentials, so
// the sender is written here. Amounts are in the currency's own units
// (JPY 4980, USD 32.65, KWD 1.250).
// hookbridge sends the delivery's idempotency key as Idempotency-Key, so a
// retried delivery never sends the receipt twice.
const FROM = "Billing <billing@example.com>";
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
  webhook.url = "https://api.resend.com/emails";
  webhook.payload = {
    from: FROM,
    to: [p.customer.email],
    subject: "Your receipt from " + COMPANY + ": " + amount,
    html: html,
    text: text + "\n" + COMPANY,
    tags: [{ name: "event", value: "payment_succeeded" }]
  };
  return webhook;
}

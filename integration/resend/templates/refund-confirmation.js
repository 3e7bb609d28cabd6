// Confirms a refund to the customer, through Resend (POST /emails). Set
// FROM to an address on a domain you verified in Resend. Amounts are in
// the currency's own units.
const FROM = "Billing <billing@example.com>";
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
  webhook.url = "https://api.resend.com/emails";
  webhook.payload = {
    from: FROM,
    to: [r.customer.email],
    subject: "Refund of " + amount + " issued",
    html: html,
    text: text,
    tags: [{ name: "event", value: "refund_succeeded" }]
  };
  return webhook;
}

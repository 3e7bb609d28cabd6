// Sends the receipt through one of your SendGrid Dynamic Templates (Email
// API → Dynamic Templates): the design lives in SendGrid, and the handler
// gives it the data. Set TEMPLATE_ID to the template's id (d- and 32
// hexadecimal digits) and FROM to a Verified Sender. In the template, use
// {{customer_name}}, {{amount}} (in the currency's own units, such as
// "JPY 4980" or "USD 32.65"), {{tax}}, {{paid_with}}, {{payment_id}} and
// {{invoice_url}}; the subject comes from the template.
const FROM = { email: "billing@example.com", name: "Billing" };
const TEMPLATE_ID = "d-00000000000000000000000000000000";

function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    return webhook;
  }
  const p = webhook.payload.data;
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = {
    personalizations: [{
      to: [{ email: p.customer.email, name: p.customer.name || undefined }],
      dynamic_template_data: {
        customer_name: p.customer.name || "",
        amount: p.currency + " " + hb.formatAmount(p.total_amount, p.currency),
        tax: p.currency + " " + hb.formatAmount(p.tax || 0, p.currency),
        paid_with: p.card_last_four ? (p.card_network || "Card") + " ending " + p.card_last_four : (p.payment_method || ""),
        payment_id: p.payment_id,
        invoice_url: p.invoice_url || ""
      }
    }],
    from: FROM,
    template_id: TEMPLATE_ID,
    categories: ["payment_succeeded"]
  };
  return webhook;
}

// Emails the customer when their subscription starts, renews, changes,
// pauses, resumes, is put on hold, fails, is cancelled or expires, through
// SendGrid (POST /v3/mail/send). Set FROM to a Verified Sender of your
// SendGrid account. Amounts are in the currency's own units.
const FROM = { email: "billing@example.com", name: "Billing" };
const COMPANY = "Example Inc.";
const ACCOUNT_URL = "https://example.com/account/billing";

function esc(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Subject and first line for each event type.
const MESSAGES = {
  "subscription.active": ["Your subscription is active", "Welcome aboard: your subscription is now active."],
  "subscription.renewed": ["Your subscription was renewed", "Your subscription was renewed for another period."],
  "subscription.plan_changed": ["Your plan was changed", "Your subscription now runs on its new plan."],
  "subscription.paused": ["Your subscription is paused", "Your subscription is paused: you will not be charged until it resumes."],
  "subscription.unpaused": ["Your subscription has resumed", "Your subscription is running again."],
  "subscription.on_hold": ["Your subscription is on hold", "We could not renew your subscription, so it is on hold. Update your payment method to keep it."],
  "subscription.failed": ["We could not start your subscription", "Your subscription could not be started because the first payment failed."],
  "subscription.cancelled": ["Your subscription was cancelled", "Your subscription was cancelled. We are sorry to see you go."],
  "subscription.expired": ["Your subscription has ended", "Your subscription reached the end of its term."]
};

function day(rfc3339) {
  return rfc3339 ? String(rfc3339).slice(0, 10) : "";
}

function handler(webhook) {
  const message = MESSAGES[webhook.eventType];
  if (!message) {
    return webhook;
  }
  const s = webhook.payload.data;
  const price = s.currency + " " + hb.formatAmount(s.recurring_pre_tax_amount, s.currency);
  const every = s.payment_frequency_count > 1
    ? s.payment_frequency_count + " " + String(s.payment_frequency_interval).toLowerCase() + "s"
    : String(s.payment_frequency_interval).toLowerCase();
  const active = ["subscription.active", "subscription.renewed", "subscription.plan_changed", "subscription.unpaused"];
  const name = s.customer.name || "there";
  let html = "<h1>" + esc(message[0]) + "</h1><p>Hi " + esc(name) + ", " + esc(message[1]) + "</p>";
  let text = "Hi " + name + ", " + message[1] + "\n";
  if (active.indexOf(webhook.eventType) >= 0) {
    const terms = "Price: " + price + " every " + every + " (before tax), quantity " + s.quantity + ".";
    html += "<p>" + esc(terms) + "</p>";
    text += terms + "\n";
    if (s.next_billing_date) {
      html += "<p>Next billing date: " + esc(day(s.next_billing_date)) + "</p>";
      text += "Next billing date: " + day(s.next_billing_date) + "\n";
    }
  }
  html += "<p><a href=\"" + esc(ACCOUNT_URL) + "\">Manage your subscription</a></p><p>" + esc(COMPANY) + "</p>";
  text += "\nManage your subscription: " + ACCOUNT_URL + "\n\n" + COMPANY;
  webhook.url = "https://api.sendgrid.com/v3/mail/send";
  webhook.payload = mail([s.customer.email], message[0], html, text, webhook.eventType.replace(".", "_"));
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

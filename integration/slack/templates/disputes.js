// Posts disputes to Slack. A dispute that opens is urgent: the business
// has a deadline to answer, so the message notifies the channel's active
// members (@here). The amount is in the currency's own units (a dispute's
// amount is a string of minor units: "4980" JPY is 4980 yen).
function handler(webhook) {
  const steps = {
    "dispute.opened": { title: ":rotating_light: Dispute opened", note: "<!here> Respond before the deadline with evidence, or accept it: an unanswered dispute is lost." },
    "dispute.expired": { title: ":alarm_clock: Dispute expired", note: "The deadline passed without a response: the amount goes back to the customer." },
    "dispute.accepted": { title: ":handshake: Dispute accepted", note: "The disputed amount goes back to the customer." },
    "dispute.cancelled": { title: ":relieved: Dispute cancelled", note: "The customer or their bank withdrew it." },
    "dispute.challenged": { title: ":scales: Dispute challenged", note: "Evidence was submitted; the bank decides next." },
    "dispute.won": { title: ":trophy: Dispute won", note: "The bank decided in the business's favour." },
    "dispute.lost": { title: ":money_with_wings: Dispute lost", note: "The bank decided in the customer's favour: the amount is charged back." }
  };
  const step = steps[webhook.eventType];
  if (!step) {
    return webhook;
  }
  const d = webhook.payload.data;
  const amount = hb.formatAmount(d.amount, d.currency) + " " + d.currency;

  const blocks = [
    { type: "header", text: { type: "plain_text", text: clip(step.title + ": " + amount, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: step.note } },
    { type: "section", fields: [
      field("Amount", escape(amount)),
      field("Stage", escape(words(d.dispute_stage))),
      field("Payment", "`" + escape(d.payment_id) + "`"),
      field("Dispute", "`" + escape(d.dispute_id) + "`")
    ] }
  ];
  if (d.remarks) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip("*Remarks:* " + escape(d.remarks), 3000) } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: when(webhook.payload.timestamp) }] });

  const urgent = webhook.eventType === "dispute.opened" ? "<!here> " : "";
  webhook.payload = {
    text: urgent + step.title.replace(/^:[a-z_]+: /, "") + ": " + escape(amount) + " on payment " + escape(d.payment_id),
    blocks: blocks
  };
  return webhook;
}

// words reads "pre_dispute" as "pre dispute".
function words(s) {
  return String(s || "unknown").replace(/_/g, " ");
}

// field is a section field in Slack's mrkdwn: a bold label over a value
// that is already escaped.
function field(label, value) {
  return { type: "mrkdwn", text: clip("*" + label + "*\n" + value, 2000) };
}

// when shows an RFC 3339 time in each reader's own time zone.
function when(timestamp) {
  return "<!date^" + hb.toUnixSeconds(timestamp) + "^{date_short_pretty} at {time}|" + timestamp + ">";
}

// escape keeps names with &, < or > from being read as Slack markup.
function escape(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// clip shortens s to at most n characters, which Block Kit requires.
function clip(s, n) {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}

// Posts each step of a dispute to the channel as an Adaptive Card: a
// headline coloured by what it means — opened or challenged (warning:
// something to do), won (good), lost or accepted (attention: the money is
// gone), expired or cancelled (default) — and a FactSet. The amount at
// stake is in the currency's own units.
function handler(webhook) {
  const kinds = {
    "dispute.opened": { title: "Dispute opened", color: "Warning" },
    "dispute.challenged": { title: "Dispute challenged", color: "Warning" },
    "dispute.won": { title: "Dispute won", color: "Good" },
    "dispute.lost": { title: "Dispute lost", color: "Attention" },
    "dispute.accepted": { title: "Dispute accepted", color: "Attention" },
    "dispute.expired": { title: "Dispute expired", color: "Default" },
    "dispute.cancelled": { title: "Dispute cancelled", color: "Default" }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  const amount = hb.formatAmount(d.amount, d.currency) + " " + d.currency;
  const facts = [
    fact("Amount", amount),
    fact("Payment", d.payment_id),
    fact("Stage", String(d.dispute_stage || "").replace(/_/g, " ")),
    fact("Dispute", d.dispute_id)
  ];
  if (d.remarks) {
    facts.push(fact("Remarks", d.remarks));
  }
  webhook.payload = message(kind.title + ": " + amount, kind.color, event.timestamp, facts);
  return webhook;
}

// message is a Teams message with one Adaptive Card: a headline, the
// event's time, and a FactSet.
function message(headline, color, timestamp, facts) {
  return {
    type: "message",
    attachments: [{
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: {
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        type: "AdaptiveCard",
        version: "1.4",
        msteams: { width: "Full" },
        body: [
          { type: "TextBlock", text: headline, size: "Large", weight: "Bolder", color: color, wrap: true },
          { type: "TextBlock", text: timestamp, isSubtle: true, spacing: "None", wrap: true },
          { type: "FactSet", facts: facts }
        ]
      }
    }]
  };
}

// fact is a FactSet entry; a value missing from the event shows as "—".
function fact(title, value) {
  return { title: title, value: String(value || "—") };
}

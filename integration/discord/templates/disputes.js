// Posts each step of a dispute to the channel as an embed: opened or
// challenged (orange: something to do), won (green), lost or accepted
// (red: the money is gone), expired or cancelled (grey). The amount at
// stake is in the currency's own units. Mentions are turned off.
function handler(webhook) {
  const orange = 0xe67e22, green = 0x2ecc71, red = 0xe74c3c, grey = 0x95a5a6;
  const kinds = {
    "dispute.opened": { title: "Dispute opened", color: orange },
    "dispute.challenged": { title: "Dispute challenged", color: orange },
    "dispute.won": { title: "Dispute won", color: green },
    "dispute.lost": { title: "Dispute lost", color: red },
    "dispute.accepted": { title: "Dispute accepted", color: red },
    "dispute.expired": { title: "Dispute expired", color: grey },
    "dispute.cancelled": { title: "Dispute cancelled", color: grey }
  };
  const kind = kinds[webhook.eventType];
  if (!kind) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  const amount = hb.formatAmount(d.amount, d.currency) + " " + d.currency;
  const fields = [
    field("Amount", amount, true),
    field("Payment", d.payment_id, true),
    field("Stage", String(d.dispute_stage || "").replace(/_/g, " "), true)
  ];
  if (d.remarks) {
    fields.push(field("Remarks", plain(d.remarks), false));
  }
  webhook.payload = {
    embeds: [{
      title: kind.title + ": " + amount,
      color: kind.color,
      fields: fields,
      footer: { text: d.dispute_id },
      timestamp: event.timestamp
    }],
    allowed_mentions: { parse: [] }
  };
  return webhook;
}

// field is an embed field; Discord refuses an empty value, and one over
// 1,024 characters.
function field(name, value, inline) {
  let text = String(value || "—");
  if (text.length > 1024) {
    text = text.slice(0, 1023) + "…";
  }
  return { name: name, value: text, inline: inline };
}

// plain escapes Discord's markdown in text from the event.
function plain(s) {
  return String(s).replace(/([\\*_`~|>])/g, "\\$1");
}

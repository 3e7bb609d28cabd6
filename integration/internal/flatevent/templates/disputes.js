// Sends each dispute event as one flat JSON object, the same in Zapier,
// Make, n8n and Pipedream: every field at the top level, the disputed
// amount as a number in the currency's own units (disputes carry it as a
// string of minor units: "4980" JPY is 4980), as a formatted string and
// in minor units, and times as ISO 8601 text and Unix seconds.
function handler(webhook) {
  const handled = [
    "dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
    "dispute.challenged", "dispute.won", "dispute.lost"
  ];
  if (handled.indexOf(webhook.eventType) < 0) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  webhook.payload = Object.assign(
    {
      event_type: event.type,
      occurred_at: event.timestamp,
      occurred_at_unix: hb.toUnixSeconds(event.timestamp),
      business_id: event.business_id,
      dispute_id: d.dispute_id,
      payment_id: d.payment_id,
      dispute_stage: d.dispute_stage,
      dispute_status: d.dispute_status,
      remarks: d.remarks || "",
      resolved_by_rdr: d.is_resolved_by_rdr === true
    },
    money("amount", d.amount, d.currency),
    { currency: d.currency },
    time("created_at", d.created_at)
  );
  return webhook;
}

// money returns name (a number in major units), name_formatted
// ("4980 JPY") and name_minor (the minor units, as a number).
function money(name, minor, currency) {
  const out = {};
  const major = hb.formatAmount(minor == null ? 0 : minor, currency);
  out[name] = Number(major);
  out[name + "_formatted"] = major + " " + currency;
  out[name + "_minor"] = Number(minor == null ? 0 : minor);
  return out;
}

// time returns name (ISO 8601, "" when absent) and name_unix (seconds,
// null when absent).
function time(name, iso) {
  const out = {};
  out[name] = iso || "";
  out[name + "_unix"] = iso ? hb.toUnixSeconds(iso) : null;
  return out;
}

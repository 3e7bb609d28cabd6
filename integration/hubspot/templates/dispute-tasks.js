// Opens a HubSpot task for every dispute someone has to act on — opened
// (answer it with evidence), challenged (follow it), lost (account for
// it) — and records the others (accepted, cancelled, expired, won) as
// completed tasks, so that a dispute's story reads in one place. Amounts
// are in the currency's own units (4980 JPY is 4980, not 49.80).
//
// A dispute names the payment, not the customer, so the task is not
// attached to a contact: search HubSpot for the payment id in its title.
// HubSpot has no idempotency key for creating a task: if an answer is lost
// after HubSpot created one, the retry creates a second.
function handler(webhook) {
  const steps = {
    "dispute.opened": { verb: "opened", status: "NOT_STARTED", priority: "HIGH", todo: "Answer the dispute with evidence before its deadline." },
    "dispute.challenged": { verb: "challenged", status: "NOT_STARTED", priority: "MEDIUM", todo: "The evidence was sent; follow the bank's decision." },
    "dispute.lost": { verb: "lost", status: "NOT_STARTED", priority: "HIGH", todo: "The bank sided with the cardholder: account for the loss." },
    "dispute.accepted": { verb: "accepted", status: "COMPLETED", priority: "LOW", todo: "The dispute was accepted without a challenge." },
    "dispute.cancelled": { verb: "cancelled", status: "COMPLETED", priority: "LOW", todo: "The cardholder withdrew the dispute." },
    "dispute.expired": { verb: "expired", status: "COMPLETED", priority: "LOW", todo: "The dispute expired." },
    "dispute.won": { verb: "won", status: "COMPLETED", priority: "LOW", todo: "The bank sided with you." }
  };
  const step = steps[webhook.eventType];
  if (!step) {
    return webhook;
  }
  const event = webhook.payload;
  const d = event.data;
  const amount = hb.formatAmount(d.amount, d.currency) + " " + d.currency;
  const body = [
    step.todo,
    "Dispute " + d.dispute_id + " on payment " + d.payment_id + ": " + amount + ".",
    "Stage: " + d.dispute_stage + ", status: " + d.dispute_status + "."
  ];
  if (d.remarks) {
    body.push("Remarks: " + d.remarks);
  }
  webhook.url = "https://api.hubapi.com/crm/v3/objects/tasks";
  webhook.payload = {
    properties: {
      hs_timestamp: event.timestamp,
      hs_task_subject: "Dispute " + step.verb + ": " + amount + " on " + d.payment_id,
      hs_task_body: body.join("\n"),
      hs_task_status: step.status,
      hs_task_priority: step.priority,
      hs_task_type: "TODO"
    }
  };
  return webhook;
}

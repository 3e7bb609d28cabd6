// An endpoint's health, computed in the browser from its recent deliveries.
// GET …/endpoints/{id}/stats counts attempts in a time window instead; the
// pages show how the latest deliveries ended, which a retried delivery that
// finally succeeded counts once, as a success.

/** How many recent deliveries the health of an endpoint is judged on. */
export const HEALTH_SAMPLE = 100;

/**
 * health summarises deliveries (newest first): the endpoint's status
 * (active, failing or disabled), the success rate of finished deliveries,
 * and when the last delivery was made.
 */
export function health(endpoint, deliveries) {
  let ok = 0;
  let bad = 0;
  for (const d of deliveries) {
    if (d.status === "succeeded") ok++;
    else if (d.status === "failed") bad++;
  }
  const rate = ok + bad > 0 ? ok / (ok + bad) : null;
  const last = deliveries.length > 0 ? deliveries[0] : null;
  return { status: statusOf(endpoint, deliveries), rate, ok, bad, last };
}

// An endpoint is failing when its most recent tried delivery did not
// succeed: it failed for good, or it is waiting for a retry.
function statusOf(endpoint, deliveries) {
  if (endpoint.disabled) return "disabled";
  const latestTried = deliveries.find((d) => d.status === "succeeded" || d.status === "failed" || (d.status === "pending" && d.attempts > 0));
  return latestTried && latestTried.status !== "succeeded" ? "failing" : "active";
}

/** percent formats a rate; null means no finished delivery yet. */
export function percent(rate) {
  if (rate === null) return "—";
  // One decimal at most; never round a rate with failures up to 100%.
  const p = Math.min(Math.round(rate * 1000) / 10, rate < 1 ? 99.9 : 100);
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

// An endpoint's health is the API's: GET …/endpoints/{id}/stats answers its
// `condition` over a window (hookbridge.EndpointCondition, documented in
// docs/api.md), and every page shows that, so the dashboard and the API
// never disagree.
//
//   status        disabled · failing (a delivery failed for good, and the
//                 latest attempt failed, sent or stopped before sending by
//                 the validator) · retrying (the latest attempt
//                 failed; deliveries wait for their retries) · paused (the
//                 tool asked to wait: a 429) · healthy
//   success_rate  of the window's deliveries that finished: a delivery
//                 retried until it succeeded counts once, as a success; one
//                 waiting for a retry does not count yet; skipped ones never.

/** The window the pages judge an endpoint's health over. */
export const HEALTH_WINDOW = "24h";

/**
 * health fetches an endpoint's condition: { status, rate, ok, bad, waiting,
 * lastAt } where rate is null when no delivery of the window finished, and
 * lastAt the latest attempt's time (null if none).
 */
export async function health(app, ep) {
  const st = await app.endpointStats(ep.id, { window: HEALTH_WINDOW });
  const c = st.condition;
  const times = [st.last_success_at, st.last_error_at].filter(Boolean).sort();
  return {
    status: c.status,
    rate: c.success_rate,
    ok: c.succeeded,
    bad: c.failed,
    waiting: c.waiting,
    lastAt: times.length > 0 ? times[times.length - 1] : null,
  };
}

/** rateTitle says what a success rate is of. */
export function rateTitle(hl) {
  const waiting = hl.waiting > 0 ? `; ${hl.waiting} waiting to be sent or retried` : "";
  return `${hl.ok} succeeded and ${hl.bad} failed of the deliveries finished in the last ${HEALTH_WINDOW}${waiting}`;
}

/** percent formats a rate; null means no finished delivery yet. */
export function percent(rate) {
  if (rate === null) return "—";
  // One decimal at most; never round a rate with failures up to 100%.
  const p = Math.min(Math.round(rate * 1000) / 10, rate < 1 ? 99.9 : 100);
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

// An endpoint's deliveries: filters, the list, each delivery's attempts
// with the request sent and the response, Retry. The list refreshes itself
// while the page is visible, keeping open deliveries open.

import { h, replace } from "./dom.js";
import { deliveryBadge, exactTime, ms, pretty, toRFC3339, when } from "./format.js";
import { headersView, requestView } from "./test-panel.js";
import { errorNotice, field, loading, toast } from "./ui.js";

const REFRESH_MS = 3000;
const STATUSES = ["pending", "succeeded", "failed", "skipped", "cancelled"];

/**
 * deliveriesPanel lists the deliveries of one endpoint and returns
 * {element, refresh, stop}. It refreshes itself every few seconds until
 * stopped, or until older pages are loaded (a refresh would drop them).
 */
export function deliveriesPanel({ app, catalog, endpointID, endpointsByID, linkTo, onRefresh }) {
  const status = h("select", { name: "status" }, h("option", { value: "" }, "Any status"), STATUSES.map((s) => h("option", { value: s }, s)));
  const eventType = h("select", { name: "event_type" }, h("option", { value: "" }, "Any event type"),
    catalog.eventTypes.map((et) => h("option", { value: et.name }, et.name)));
  const since = h("input", { type: "datetime-local", name: "since" });
  const until = h("input", { type: "datetime-local", name: "until" });
  const list = h("ul", { class: "rows", "data-deliveries": "" });
  const more = h("div", { class: "row" });
  const message = h("div", { "aria-live": "polite" });
  const rows = new Map();
  let cursor = "";
  let timer = 0;
  let stopped = false;
  let paged = false;

  const filter = () => ({ status: status.value, event_type: eventType.value, since: toRFC3339(since.value), until: toRFC3339(until.value) });

  async function refresh() {
    paged = false;
    try {
      const page = await app.endpointDeliveries(endpointID, { ...filter(), limit: 50 });
      replace(message);
      render(page.data, false);
      cursor = page.next_before || "";
      renderMore();
      if (onRefresh) onRefresh();
    } catch (err) {
      replace(message, errorNotice(err));
    }
  }

  async function loadMore() {
    paged = true;
    const page = await app.endpointDeliveries(endpointID, { ...filter(), limit: 50, before: cursor });
    render(page.data, true);
    cursor = page.next_before || "";
    renderMore();
  }

  function renderMore() {
    replace(more, cursor ? h("button", { type: "button", class: "btn", onclick: loadMore }, "Show older deliveries") : null);
  }

  function render(deliveries, appendOnly) {
    const items = deliveries.map((d) => rowFor(d));
    if (appendOnly) {
      list.append(...items);
      return;
    }
    const keep = new Set(deliveries.map((d) => d.id));
    for (const id of rows.keys()) if (!keep.has(id)) rows.delete(id);
    if (items.length === 0) {
      replace(list, h("li", { class: "empty" }, h("p", null, hasFilter() ? "No deliveries match these filters." : "No deliveries yet. Events sent to this app will appear here.")));
      return;
    }
    replace(list, ...items);
  }

  function hasFilter() {
    return Object.values(filter()).some(Boolean);
  }

  function rowFor(d) {
    const existing = rows.get(d.id);
    if (existing && existing.updated === d.updated_at) return existing.li;
    const wasOpen = existing && existing.details.open;
    const row = deliveryRow(d, { app, endpointsByID, linkTo, onRetried: refresh });
    rows.set(d.id, row);
    if (wasOpen) row.details.open = true;
    return row.li;
  }

  for (const control of [status, eventType, since, until]) control.addEventListener("change", refresh);

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(async () => {
      if (document.visibilityState === "visible" && !paged) await refresh();
      schedule();
    }, REFRESH_MS);
  }

  const element = h("div", { class: "deliveries" },
    h("form", { class: "filters", role: "search", "aria-label": "Filter deliveries", onsubmit: (e) => { e.preventDefault(); refresh(); } },
      field("Status", status), field("Event type", eventType), field("Since", since), field("Until", until),
      h("div", { class: "field" }, h("button", { type: "submit", class: "btn", "data-action": "refresh-deliveries" }, "Refresh"))),
    message, list, more);

  refresh().then(schedule);
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  return { element, refresh, stop };
}

/** deliveryRow is one delivery, expandable to its attempts. */
export function deliveryRow(d, { app, endpointsByID, linkTo, onRetried }) {
  const detail = h("div", { class: "detail" });
  const endpoint = endpointsByID && endpointsByID.get(d.endpoint_id);
  const summary = h("summary", null,
    deliveryBadge(d),
    h("span", { class: "ellipsis" }, endpoint ? h("strong", null, endpoint.name, " ") : null, h("code", null, d.event_type)),
    d.status === "skipped"
      ? h("span", { class: "skip-note hide-narrow", title: d.last_error || "", "data-skip-reason": "" }, d.last_error || "")
      : h("span", { class: "cell-error hide-narrow", title: d.last_error || "" }, d.last_error || ""),
    h("span", { class: "small muted num hide-narrow" }, d.attempts === 1 ? "1 try" : `${d.attempts} tries`),
    h("span", { class: "small muted" }, when(d.created_at)));
  const details = h("details", { "data-delivery": d.id, "data-status": d.status }, summary, detail);
  let loaded = false;
  details.addEventListener("toggle", () => {
    if (details.open && !loaded) {
      loaded = true;
      loadDetail();
    }
  });

  async function loadDetail() {
    replace(detail, loading("Loading attempts…"));
    try {
      const attempts = await app.attempts(d.id);
      replace(detail, deliveryDetail(d, attempts, { app, linkTo, onRetried }));
    } catch (err) {
      loaded = false;
      replace(detail, errorNotice(err));
    }
  }
  return { li: h("li", null, details), details, updated: d.updated_at };
}

function deliveryDetail(d, attempts, { app, linkTo, onRetried }) {
  const retry = h("button", { type: "button", class: d.status === "failed" ? "btn btn-primary btn-small" : "btn btn-small", "data-action": "retry" },
    d.status === "failed" ? "Retry" : "Send again");
  retry.disabled = d.status === "pending";
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await app.retry(d.id);
      toast("Delivery queued again");
      onRetried && onRetried();
    } catch (err) {
      retry.disabled = false;
      toast(err.message, { bad: true });
    }
  });
  const facts = h("p", { class: "small muted" },
    `Created ${exactTime(d.created_at)}. `,
    d.status === "pending" ? `Next attempt ${exactTime(d.next_attempt_at)}. ` : "",
    linkTo ? h("a", { href: linkTo("messages", d.message_id) }, "View the event") : h("code", null, d.message_id));
  return h("div", { class: "stack" },
    h("div", { class: "row" }, retry, facts),
    lastErrorView(d),
    attempts.length === 0 ? h("p", { class: "muted small" }, d.status === "skipped" ? "Nothing was sent." : "No attempts yet.") : attemptList(attempts));
}

// lastErrorView shows why a delivery failed, or, neutrally, why it was
// skipped: a handler that returns null for an event type it does not
// handle is working as meant.
function lastErrorView(d) {
  if (!d.last_error) return null;
  if (d.status === "skipped") return h("p", { class: "small skip-note-full", "data-skip-reason": "" }, h("strong", null, "Skipped: "), d.last_error);
  return h("p", { class: "form-error" }, d.last_error);
}

// attemptList shows the latest attempt open and the earlier ones folded,
// newest first: the latest is what a person debugging wants to read.
function attemptList(attempts) {
  const numbered = attempts.map((a, i) => ({ a, n: i + 1 })).reverse();
  return numbered.map(({ a, n }, i) => {
    const view = attemptView(a, n);
    if (i === 0) return h("section", { class: "attempt", "data-attempt": n }, view.head, view.body);
    return h("details", { class: "attempt", "data-attempt": n }, h("summary", null, view.head), view.body);
  });
}

// attemptView returns an attempt's heading line and its body: the error,
// the request (sent, or stopped before sending) and the response. An
// attempt was not sent when it has neither a response nor a duration (the
// validator stopped the request, or it could not be prepared): a request
// that was sent always took time, even one that got no answer.
function attemptView(a, n) {
  const sent = a.response_status > 0 || a.duration_ns > 0;
  const ok = a.response_status >= 200 && a.response_status < 300;
  let statusBadge;
  if (!sent) statusBadge = h("span", { class: "badge", "data-not-sent": "" }, "Not sent");
  else if (a.response_status) statusBadge = h("span", { class: `badge ${ok ? "badge-ok" : "badge-bad"}` }, `HTTP ${a.response_status}`);
  else statusBadge = h("span", { class: "badge badge-bad" }, "No response");
  const head = h("div", { class: "attempt-head" },
    h("h3", null, `Attempt ${n}`), statusBadge,
    sent ? h("span", { class: "small muted timing" }, ms(a.duration_ns / 1e6)) : null,
    h("span", { class: "small muted" }, exactTime(a.created_at)));
  const body = h("div", null,
    a.error ? h("p", { class: "form-error" }, a.error) : null,
    a.request && a.request.method ? requestView(a.request, sent ? "Request sent" : "Request not sent (stopped before sending)") : null,
    a.response_status ? h("section", { "aria-label": "Response" },
      h("h3", { class: "section-label" }, "Response"),
      headersView(a.response_headers),
      a.response_body ? h("pre", { class: "code", tabindex: "0", "data-response-body": "" }, pretty(a.response_body)) : h("p", { class: "muted small" }, "Empty body.")) : null);
  return { head, body };
}

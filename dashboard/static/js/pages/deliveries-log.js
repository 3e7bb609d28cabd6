// The app's deliveries log: every delivery to every endpoint, filtered by
// status, endpoint, event type, customer and time, each expandable to its
// attempts; "Retry failed" queues again every failed delivery the filters
// select. The filters live in the URL, so a filtered view can be shared.

import { h, replace } from "../dom.js";
import { toLocalInput, toRFC3339 } from "../format.js";
import { deliveryRow } from "../deliveries.js";
import { errorNotice, field, toast } from "../ui.js";
import { appwide } from "../appwide-api.js";

const STATUSES = [["", "Any status"], ["failed", "Failed"], ["pending", "Pending or retrying"], ["succeeded", "Succeeded"], ["skipped", "Skipped"], ["cancelled", "Cancelled"]];
const FILTERS = ["status", "endpoint_id", "event_type", "customer", "since", "until"];
const PAGE = 50;
const REFRESH_MS = 5000;

export async function deliveriesLogPage(ctx) {
  ctx.setTitle("Deliveries");
  const endpoints = await ctx.app.endpoints();
  const endpointsByID = new Map(endpoints.map((e) => [e.id, e]));
  const controls = filterControls(ctx, endpoints);
  const filter = currentFilter(ctx.query);
  const list = h("ul", { class: "rows", "data-deliveries": "" });
  const more = h("div", { class: "row" });
  const status = h("div", { "aria-live": "polite" });
  const bulk = bulkRetry(ctx, filter, () => load(""));

  let paged = false;
  async function load(before) {
    paged = Boolean(before);
    try {
      const page = await ctx.app.deliveries({ ...filter, before, limit: PAGE });
      if (!before) replace(list);
      if (!before && page.data.length === 0) {
        list.append(h("li", { class: "empty" }, h("p", null, Object.values(filter).some(Boolean)
          ? "No deliveries match these filters." : "No deliveries yet. Events sent to this app appear here, one row per endpoint.")));
      }
      list.append(...page.data.map((d) => deliveryRow(d, { app: ctx.app, endpointsByID, linkTo: (...p) => ctx.link(...p), onRetried: () => load("") }).li));
      replace(more, page.next_before ? h("button", { type: "button", class: "btn", onclick: () => load(page.next_before) }, "Show older deliveries") : null);
      replace(status);
    } catch (err) {
      replace(status, errorNotice(err));
    }
  }

  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter deliveries", "data-log-filters": "" },
    field("Status", controls.status), field("Endpoint", controls.endpoint_id), field("Event type", controls.event_type),
    field("Customer id or email", controls.customer), field("Since", controls.since), field("Until", controls.until),
    h("div", { class: "field" }, h("button", { type: "submit", class: "btn btn-primary", "data-action": "filter-deliveries" }, "Filter")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.navigate(ctx.link("deliveries") + queryOf(controls));
  });

  // The first page refreshes itself while shown, unless a delivery is
  // open, focused (a keyboard user is on it) or older pages are loaded:
  // a refresh would close, move or drop them.
  let timer = 0;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    const busy = paged || list.querySelector("details[open]") || list.contains(document.activeElement);
    if (document.visibilityState === "visible" && !busy) await load("");
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  };
  timer = setTimeout(tick, REFRESH_MS);
  ctx.onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });

  await load("");
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Deliveries"),
      h("p", { class: "lede" }, "Every delivery of this app's events to its endpoints. Open one to see each attempt's request and response."))),
    h("section", { class: "card", "aria-label": "Deliveries" }, form, bulk, status, list, more));
}

// filterControls makes the filter inputs, filled from the URL.
function filterControls(ctx, endpoints) {
  const q = ctx.query;
  const c = {
    status: h("select", { name: "status" }, STATUSES.map(([v, label]) => h("option", { value: v }, label))),
    endpoint_id: h("select", { name: "endpoint_id" }, h("option", { value: "" }, "Any endpoint"),
      endpoints.map((e) => h("option", { value: e.id }, e.name))),
    event_type: h("select", { name: "event_type" }, h("option", { value: "" }, "Any event type"),
      ctx.catalog.eventTypes.map((et) => h("option", { value: et.name }, et.name))),
    customer: h("input", { type: "search", name: "customer", placeholder: "cus_… or jane@example.com", spellcheck: false }),
    since: h("input", { type: "datetime-local", name: "since" }),
    until: h("input", { type: "datetime-local", name: "until" }),
  };
  for (const name of ["status", "endpoint_id", "event_type", "customer"]) c[name].value = q.get(name) || "";
  for (const name of ["since", "until"]) c[name].value = localFromQuery(q.get(name));
  return c;
}

function currentFilter(q) {
  return Object.fromEntries(FILTERS.map((name) => [name, q.get(name) || ""]));
}

function queryOf(controls) {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const v = name === "since" || name === "until" ? toRFC3339(controls[name].value) : controls[name].value.trim();
    if (v) params.set(name, v);
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

function localFromQuery(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : toLocalInput(d);
}

// bulkRetry offers to retry every failed delivery the filters select;
// with a status filter other than failed there is nothing to retry.
function bulkRetry(ctx, filter, reload) {
  if (filter.status && filter.status !== "failed") return null;
  const result = h("span", { class: "small", role: "status" });
  const button = h("button", { type: "button", class: "btn", "data-action": "retry-filtered" },
    Object.entries(filter).some(([k, v]) => k !== "status" && v) ? "Retry the failed deliveries of this filter" : "Retry all failed deliveries");
  button.addEventListener("click", async () => {
    if (!window.confirm("Send again every failed delivery these filters select?")) return;
    button.disabled = true;
    try {
      const { status, ...rest } = filter;
      const res = await appwide(ctx.app).retryFailed(Object.fromEntries(Object.entries(rest).filter(([, v]) => v)));
      const n = res.queued;
      replace(result, n === 0 ? "No failed deliveries matched." : `${n} failed deliver${n === 1 ? "y" : "ies"} queued again${res.truncated ? "; more matched: retry again for the next ones" : ""}.`);
      toast(n === 0 ? "Nothing to retry" : `${n} queued again`);
      await reload();
    } catch (err) {
      replace(result, errorNotice(err));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "row bulk-bar" }, button, result);
}

// One endpoint: its health, a chart of deliveries over time, its
// deliveries with their attempts (Retry, Recover since), and its settings
// (in endpoint-settings.js).

import { h, replace, svgImage } from "../dom.js";
import { destinationHost } from "../catalog.js";
import { bucket, deliveryChart, WINDOWS } from "../chart.js";
import { deliveriesPanel } from "../deliveries.js";
import { endpointBadge, toLocalInput, toRFC3339, when } from "../format.js";
import { health, percent, rateTitle, HEALTH_WINDOW } from "../health.js";
import { errorNotice, secretOnce, toast } from "../ui.js";
import { settingsTab } from "./endpoint-settings.js";
import { testEventCard } from "./endpoint-test-event.js";
import { historyTab } from "../versions.js";

export async function endpointPage(ctx) {
  const [id] = ctx.params;
  let ep = await ctx.app.endpoint(id);
  const integration = ctx.catalog.integration(ep.integration);
  ctx.setTitle(ep.name);
  const tab = ["settings", "history"].includes(ctx.query.get("tab")) ? ctx.query.get("tab") : "deliveries";

  const badge = h("span", { "data-endpoint-status": "" }, endpointBadge(ep.disabled ? "disabled" : "enabled"));
  const toggle = h("button", { type: "button", class: "btn", "data-action": "toggle-endpoint" });
  const title = h("h1", null, ep.name);
  const showHeader = () => {
    replace(title, ep.name);
    toggle.textContent = ep.disabled ? "Enable" : "Disable";
    if (ep.disabled) replace(badge, endpointBadge("disabled"));
  };
  showHeader();
  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    try {
      ep = await ctx.app.updateEndpoint(ep.id, { disabled: !ep.disabled });
      showHeader();
      if (!ep.disabled) replace(badge, endpointBadge("enabled"));
      toast(ep.disabled ? "Endpoint disabled: no deliveries are made until you enable it" : "Endpoint enabled");
    } catch (err) {
      toast(err.message, { bad: true });
    } finally {
      toggle.disabled = false;
    }
  });

  const tabLink = (key, label) => h("a", { href: `${ctx.link("endpoints", ep.id)}${key === "deliveries" ? "" : `?tab=${key}`}`, "aria-current": key === tab ? "page" : false }, label);
  const body = tab === "settings"
    ? settingsTab(ctx, ep, integration, (updated) => { ep = updated; showHeader(); })
    : tab === "history" ? historyTab(ctx, ep, (updated) => { ep = updated; showHeader(); })
    : deliveriesTab(ctx, ep, (hl) => { if (!ep.disabled) replace(badge, endpointBadge(hl.status)); });

  return h("div", null,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: ctx.link("endpoints") }, "Endpoints"), ` / ${ep.name}`),
    h("div", { class: "page-head" },
      h("div", { class: "page-title" }, svgImage(integration.logo, integration.name, "logo logo-lg"),
        h("div", null, h("div", { class: "row" }, title, badge),
          h("p", { class: "muted small" }, integration.name, " · ", destinationHost(ep, integration), " · created ", when(ep.created_at)))),
      h("div", { class: "row" }, toggle)),
    flashNotice(ctx, ep, integration),
    h("nav", { class: "tabs", "aria-label": "Endpoint sections" }, tabLink("deliveries", "Deliveries"), tabLink("settings", "Settings"), tabLink("history", "History")),
    body);
}

function flashNotice(ctx, ep, integration) {
  const flash = ctx.flash;
  if (!flash) return null;
  const secrets = Object.entries(flash.generatedSecrets || {});
  return h("div", null,
    flash.created ? h("div", { class: "notice", role: "status" }, h("strong", null, "Endpoint created. "),
      ep.event_types.length === 0 ? "Every event of this app is now delivered to it." : `Events of ${ep.event_types.length} type${ep.event_types.length === 1 ? "" : "s"} are now delivered to it.`) : null,
    secrets.map(([name, value]) => secretOnce(labelOf(integration, name), value,
      "Your endpoint uses it to verify the webhook-signature header of each request.")));
}

function labelOf(integration, name) {
  const f = (integration.credentials || []).find((c) => c.name === name);
  return f ? f.label : name;
}

// ---- Deliveries tab -------------------------------------------------------

function deliveriesTab(ctx, ep, onHealth) {
  // The summary and the chart load after the list below them; they hold
  // their places from the start so that the list does not move under a
  // pointer as they arrive.
  const stats = h("div", { class: "stats", "aria-live": "polite" },
    ["Success rate", "Succeeded", "Failed", "Last delivery"].map((label) => stat(label, "…")));
  const windowSelect = h("select", { id: "chart-window", name: "window" }, Object.entries(WINDOWS).map(([k, w]) => h("option", { value: k }, w.label)));
  windowSelect.value = "24h";
  const chartBox = h("div", { class: "chart-box" });
  let chartSince = 0;

  async function refreshSummary() {
    const span = WINDOWS[windowSelect.value].span;
    chartSince = Date.now() - span;
    const [hl, windowed] = await Promise.all([
      health(ctx.app, ep),
      ctx.app.endpointDeliveries(ep.id, { limit: 250, since: new Date(chartSince).toISOString().replace(/\.\d{3}Z$/, "Z") }),
    ]);
    onHealth(hl);
    replace(stats,
      stat(`Success rate (${HEALTH_WINDOW})`, percent(hl.rate), rateTitle(hl)),
      stat("Succeeded", String(hl.ok)), stat("Failed", String(hl.bad)),
      stat("Waiting", String(hl.waiting), "due now, or waiting for a retry"),
      stat("Last attempt", hl.lastAt ? when(hl.lastAt) : "never"));
    replace(chartBox, deliveryChart(bucket(windowed.data, windowSelect.value), windowSelect.value, chartBox.clientWidth || 640),
      h("div", { class: "legend", "aria-hidden": "true" }, h("span", { class: "l-ok" }, "Succeeded"), h("span", { class: "l-bad" }, "Failed"), h("span", null, "Pending or skipped")),
      windowed.next_before ? h("p", { class: "small muted" }, "Showing the latest 250 deliveries of this period.") : null);
  }
  windowSelect.addEventListener("change", () => refreshSummary().catch(() => {}));

  const panel = deliveriesPanel({
    app: ctx.app, catalog: ctx.catalog, endpointID: ep.id,
    linkTo: (...parts) => ctx.link(...parts),
    onRefresh: () => refreshSummary().catch(() => {}),
  });
  ctx.onLeave(panel.stop);

  return h("div", { class: "stack" },
    h("section", { class: "card", "aria-labelledby": "activity-title" },
      h("div", { class: "card-head" }, h("h2", { id: "activity-title" }, "Activity"),
        h("div", { class: "row" }, h("label", { for: "chart-window", class: "visually-hidden" }, "Chart period"), windowSelect)),
      stats, chartBox),
    h("section", { class: "card", "aria-labelledby": "deliveries-title" },
      h("div", { class: "card-head" }, h("div", null, h("h2", { id: "deliveries-title" }, "Deliveries"),
        h("p", null, "Every event sent to this endpoint. Open one to see each attempt's request and response."))),
      panel.element),
    testEventCard(ctx, ep),
    recoverCard(ctx, ep, panel));
}

function stat(label, value, hint) {
  return h("div", { class: "stat", title: hint || "" }, h("p", { class: "label" }, label), h("p", { class: "value" }, value));
}

function recoverCard(ctx, ep, panel) {
  const since = h("input", { type: "datetime-local", name: "recover_since", required: true, value: toLocalInput(new Date(Date.now() - 86400e3)) });
  const result = h("p", { class: "small", "aria-live": "polite" });
  const form = h("form", { class: "row" },
    h("div", { class: "field" }, h("label", { for: "recover-since" }, "Failed since"), since),
    h("button", { type: "submit", class: "btn", "data-action": "recover" }, "Recover"), result);
  since.id = "recover-since";
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const res = await ctx.app.recover(ep.id, toRFC3339(since.value));
      replace(result, res.queued === 0 ? "No failed deliveries in that period." : `${res.queued} failed deliver${res.queued === 1 ? "y" : "ies"} queued again.`);
      panel.refresh();
    } catch (err) {
      replace(result, errorNotice(err));
    }
  });
  return h("section", { class: "card", "aria-labelledby": "recover-title" },
    h("div", { class: "card-head" }, h("div", null, h("h2", { id: "recover-title" }, "Recover failed deliveries"),
      h("p", null, "After fixing an outage or wrong credentials, send again every delivery that failed since a time."))),
    form);
}

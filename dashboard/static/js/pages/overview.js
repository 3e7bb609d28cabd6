// Overview: how the app's deliveries fare right now: deliveries per
// minute, failures, deliveries waiting for their retry, the lag of due
// deliveries, and the slowest endpoints. It refreshes itself while shown.

import { h, replace } from "../dom.js";
import { deliveryChart } from "../chart.js";
import { ms, when } from "../format.js";
import { appwide } from "../appwide-api.js";
import { errorNotice } from "../ui.js";

const REFRESH_MS = 10000;
// The windows offered, with how many minutes each bar of the chart holds.
const PERIODS = { "1h": { label: "Last hour", perBar: 1 }, "24h": { label: "Last 24 hours", perBar: 60 } };

export async function overviewPage(ctx) {
  ctx.setTitle("Overview");
  const api = appwide(ctx.app);
  const period = h("select", { id: "overview-window", name: "window" }, Object.entries(PERIODS).map(([k, p]) => h("option", { value: k }, p.label)));
  period.value = PERIODS[ctx.query.get("window")] ? ctx.query.get("window") : "1h";
  const stats = h("div", { class: "stats", "data-overview-stats": "" });
  const chartBox = h("div", { class: "chart-box" });
  const slowest = h("div", { "data-slowest": "" });
  const status = h("div", { "aria-live": "polite" });
  let timer = 0;
  let stopped = false;

  async function refresh() {
    try {
      const ov = await api.overview(period.value);
      render(ov);
      replace(status);
    } catch (err) {
      replace(status, errorNotice(err));
    }
  }

  function render(ov) {
    const total = Object.values(ov.deliveries_by_status).reduce((a, b) => a + b, 0);
    const minutes = Math.max(1, Math.round((new Date(ov.until) - new Date(ov.since)) / 60000));
    replace(stats,
      stat("Deliveries", String(total), `${(total / minutes).toFixed(1)} per minute`, "deliveries"),
      stat("Failed", String(ov.failures), ov.failures ? h("a", { href: `${ctx.link("deliveries")}?status=failed&since=${encodeURIComponent(ov.since)}` }, "See them") : "none", "failures"),
      stat("Waiting to retry", String(ov.retrying), "failed once, retried later", "retrying"),
      stat("Lag", ov.lag.due ? ms(ov.lag.lag_seconds * 1000) : "none", ov.lag.due ? `${ov.lag.due} due, ${ov.lag.pending} pending` : `${ov.lag.pending} pending, none overdue`, "lag"));
    const buckets = toBuckets(ov.per_minute, PERIODS[period.value].perBar);
    replace(chartBox, deliveryChart(buckets, period.value, chartBox.clientWidth || 640),
      h("div", { class: "legend", "aria-hidden": "true" }, h("span", { class: "l-ok" }, "Succeeded"), h("span", { class: "l-bad" }, "Failed"), h("span", null, "Pending or skipped")),
      ov.truncated ? h("p", { class: "small muted" }, "More than 10,000 deliveries in this period: the counts are of the newest.") : null);
    replace(slowest, ov.slowest_endpoints.length === 0
      ? h("p", { class: "muted small" }, "No attempts in this period.")
      : h("ul", { class: "rows" }, ov.slowest_endpoints.map((e) => h("li", { "data-slow-endpoint": e.endpoint_id },
        h("a", { class: "row-link slow-row", href: ctx.link("endpoints", e.endpoint_id) },
          h("strong", { class: "ellipsis" }, e.name),
          h("span", { class: "small num", title: "95th percentile of the attempts' durations" }, `p95 ${ms(e.p95_ms)}`),
          h("span", { class: "small muted num hide-narrow" }, `p50 ${ms(e.p50_ms)}`),
          h("span", { class: "small muted num" }, `${e.attempts} attempt${e.attempts === 1 ? "" : "s"}`))))),
      h("p", { class: "small muted" }, "Updated ", when(ov.until), "."));
  }

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(async () => {
      if (document.visibilityState === "visible") await refresh();
      schedule();
    }, REFRESH_MS);
  }
  ctx.onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });
  period.addEventListener("change", () => refresh());

  await refresh();
  schedule();
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Overview"),
      h("p", { class: "lede" }, "How this app's deliveries fare: volume, failures, the wait of due deliveries and the slowest endpoints.")),
    h("div", { class: "row" }, h("label", { for: "overview-window" }, "Period"), period)),
    status,
    h("div", { class: "stack" },
      h("section", { class: "card", "aria-labelledby": "ov-activity" },
        h("h2", { id: "ov-activity", class: "field" }, "Deliveries"), stats, chartBox),
      h("section", { class: "card", "aria-labelledby": "ov-slowest" },
        h("div", { class: "card-head" }, h("div", null, h("h2", { id: "ov-slowest" }, "Slowest endpoints"),
          h("p", null, "By the 95th percentile of their attempts' durations in this period."))),
        slowest)));
}

function stat(label, value, hint, key) {
  return h("div", { class: "stat", "data-stat": key }, h("p", { class: "label" }, label), h("p", { class: "value" }, value),
    h("p", { class: "small muted" }, hint));
}

// toBuckets groups the per-minute counts into bars of perBar minutes.
function toBuckets(perMinute, perBar) {
  const out = [];
  for (let i = 0; i < perMinute.length; i += perBar) {
    const group = perMinute.slice(i, i + perBar);
    out.push({
      start: new Date(group[0].minute).getTime(),
      ok: group.reduce((a, m) => a + m.succeeded, 0),
      bad: group.reduce((a, m) => a + m.failed, 0),
      other: group.reduce((a, m) => a + m.other, 0),
    });
  }
  return out;
}

// The Endpoints page: every endpoint of the app with its integration, status,
// event types, success rate and last delivery; + Add Endpoint.

import { h, replace, svgImage } from "../dom.js";
import { destinationHost } from "../catalog.js";
import { endpointBadge, when } from "../format.js";
import { health, percent, rateTitle } from "../health.js";

export async function endpointsPage(ctx) {
  ctx.setTitle("Endpoints");
  const endpoints = await ctx.app.endpoints();
  const addButton = h("a", { class: "btn btn-primary", href: ctx.link("endpoints", "new"), "data-action": "add-endpoint" }, "+ Add Endpoint");
  const head = h("div", { class: "page-head" },
    h("div", null, h("h1", null, "Endpoints"),
      h("p", { class: "lede" }, "Where this app's payment events go: a plain URL, or a tool (analytics, customer messaging, team chat, automation, email, CRM) with a transformation that shapes each event for its API.")),
    addButton);
  if (endpoints.length === 0) return h("div", null, head, emptyState(ctx));

  const list = h("div", { class: "card list-card" },
    h("div", { class: "endpoint-row list-head", "aria-hidden": "true" },
      h("span", null, "Endpoint"), h("span", null, "Status"), h("span", null, "Event types"), h("span", null, "Success"), h("span", null, "Last delivery")),
    h("ul", { class: "list", "data-endpoints": "" }, endpoints.map((ep) => h("li", null, endpointRow(ctx, ep)))));
  return h("div", null, head, list);
}

function endpointRow(ctx, ep) {
  const integration = ctx.catalog.integration(ep.integration);
  const status = h("span", { class: "col-status" }, ep.disabled ? endpointBadge("disabled") : h("span", { class: "muted small" }, "…"));
  const rate = h("span", { class: "col-rate" }, h("span", { class: "muted small" }, "…"));
  const last = h("span", { class: "col-last small" }, h("span", { class: "muted" }, "…"));
  const where = destinationHost(ep, integration);
  const row = h("a", { class: "endpoint-row", href: ctx.link("endpoints", ep.id), "data-endpoint": ep.id },
    h("span", { class: "endpoint-name" }, svgImage(integration.logo, ""),
      h("span", null, h("strong", null, ep.name), h("span", { class: "muted" }, integration.id === "webhook" || !where ? where || integration.name : `${integration.name} · ${where}`))),
    status,
    h("span", { class: "col-events chips" }, eventChips(ep.event_types)),
    rate, last);
  fillHealth(ctx, ep, { status, rate, last });
  return row;
}

async function fillHealth(ctx, ep, cells) {
  try {
    const hl = await health(ctx.app, ep);
    replace(cells.status, endpointBadge(hl.status));
    replace(cells.rate,
      h("span", { class: "rate", title: rateTitle(hl) }, percent(hl.rate)),
      hl.rate === null ? null : h("span", { class: `meter${hl.rate < 0.9 ? " low" : ""}`, "aria-hidden": "true" }, meterFill(hl.rate)));
    replace(cells.last, hl.lastAt ? when(hl.lastAt) : h("span", { class: "muted" }, "No attempts yet"));
  } catch {
    replace(cells.status, h("span", { class: "muted small" }, "unknown"));
  }
}

function meterFill(rate) {
  // The bar's width is a CSS property set through the CSSOM, which the
  // Content-Security-Policy allows (unlike a style attribute).
  const fill = h("span");
  fill.style.width = `${Math.round(rate * 100)}%`;
  return fill;
}

function eventChips(types) {
  if (!types || types.length === 0) return h("span", { class: "muted small" }, "All event types");
  const shown = types.slice(0, 3).map((t) => h("span", { class: "chip" }, t));
  if (types.length > 3) shown.push(h("span", { class: "chip", title: types.slice(3).join(", ") }, `+${types.length - 3}`));
  return shown;
}

function emptyState(ctx) {
  return h("div", { class: "card empty" },
    h("h2", null, "No endpoints yet"),
    h("p", null, "Add an endpoint to send payment events somewhere: pick a plain URL or a tool, enter its credentials, test the transformation on sample events, and create it."),
    h("a", { class: "btn btn-primary", href: ctx.link("endpoints", "new") }, "+ Add Endpoint"));
}

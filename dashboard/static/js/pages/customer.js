// Customer timeline: every event about one customer (found by the customer
// id or email its payload names), newest first, with what became of it at
// each endpoint and the identifier each tool received — the first things
// to check when "the event never reached the tool". Reached from the
// search box in the top bar (customerSearch).

import { h, replace } from "../dom.js";
import { deliveryBadge, when } from "../format.js";
import { errorNotice, field } from "../ui.js";

const PAGE_SIZE = 25;

/** customerSearch is the top bar's search box: it opens a customer's timeline. */
export function customerSearch(appID, navigate) {
  const input = h("input", { type: "search", name: "find-customer", id: "customer-search", placeholder: "Find a customer",
    "aria-label": "Find a customer by id or email", spellcheck: false, autocomplete: "off" });
  const form = h("form", { role: "search", "data-customer-search": "" }, input);
  // Sized from script, which the style policy allows, so that this page
  // needs no rules of its own in style.css: the box shares the top bar.
  Object.assign(form.style, { flex: "0 1 10rem", minWidth: "7rem" });
  Object.assign(input.style, { height: "34px" });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const customer = input.value.trim();
    if (!customer) return;
    input.value = "";
    navigate(`/apps/${encodeURIComponent(appID)}/customers/${encodeURIComponent(customer)}`);
  });
  return form;
}

/** customerPage shows a customer's timeline, or (without one) a search form. */
export async function customerPage(ctx) {
  const [customer] = ctx.params;
  const input = h("input", { type: "search", name: "customer", value: customer || "", placeholder: "cus_… or jane@example.com", spellcheck: false });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Find a customer" },
    field("Customer id or email", input),
    h("div", { class: "field" }, h("button", { type: "submit", class: "btn btn-primary" }, "Show timeline")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.value.trim()) ctx.navigate(ctx.link("customers", input.value.trim()));
  });
  ctx.setTitle(customer ? `Customer ${customer}` : "Customers");
  const head = h("div", { class: "page-head" }, h("div", null,
    h("h1", null, customer ? h("span", null, "Customer ", h("code", { "data-customer": customer }, customer)) : "Find a customer"),
    h("p", { class: "lede" }, "Every event whose payload names this customer (by customer id or email), newest first, " +
      "with what each endpoint did with it and the identifier each tool received.")));
  if (!customer) return h("div", null, head, h("section", { class: "card" }, form));

  const [endpoints, first] = await Promise.all([ctx.app.endpoints(), timeline(ctx, customer, "")]);
  const endpointsByID = new Map(endpoints.map((e) => [e.id, e]));
  const list = h("ul", { class: "rows", "data-timeline": "" });
  const more = h("div", { class: "row" });
  const status = h("div", { "aria-live": "polite" });

  function show(page) {
    list.append(...page.data.map((m) => entryRow(ctx, m, endpointsByID)));
    replace(more, page.next_before ? h("button", { type: "button", class: "btn", "data-action": "older", onclick: () => older(page.next_before) }, "Show older events") : null);
  }
  async function older(before) {
    try {
      show(await timeline(ctx, customer, before));
      replace(status);
    } catch (err) {
      replace(status, errorNotice(err));
    }
  }
  if (first.data.length === 0) {
    list.append(h("li", { class: "empty" }, h("p", null,
      "No events name this customer. Check the spelling: a customer id matches exactly, an email in any case. " +
      "Disputes and payouts name no customer, and events older than the app's retention are gone.")));
  }
  show(first);
  return h("div", null,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: ctx.link("messages") }, "Messages"), ` / ${customer}`),
    head,
    h("section", { class: "card" }, form, status, list, more));
}

function timeline(ctx, customer, before) {
  const path = `/api/v1/apps/${encodeURIComponent(ctx.appID)}/customers/${encodeURIComponent(customer)}/timeline`;
  return ctx.client.get(path, { limit: PAGE_SIZE, before });
}

/** entryRow is one event: its type and time, then a line per delivery. */
function entryRow(ctx, m, endpointsByID) {
  const deliveries = m.deliveries.length === 0
    ? h("p", { class: "small muted" }, "No endpoint was subscribed to this event type when it arrived.")
    : h("ul", { class: "stack", "data-deliveries": "" }, m.deliveries.map((d) => deliveryLine(ctx, d, endpointsByID)));
  if (m.deliveries.length > 0) Object.assign(deliveries.style, { listStyle: "none", margin: "0", paddingLeft: "0.5rem" });
  return h("li", { "data-message": m.id },
    h("a", { class: "row-link", href: ctx.link("messages", m.id) },
      h("code", { class: "ellipsis" }, m.event_type),
      h("span", { class: "small muted ellipsis" }, m.id),
      h("span", { class: "small muted ellipsis hide-narrow" }, m.deliveries.length === 1 ? "1 delivery" : `${m.deliveries.length} deliveries`),
      h("span", { class: "small muted" }, when(m.created_at))),
    h("div", { class: "detail" }, deliveries));
}

/** deliveryLine says where one delivery stands and what identified the customer to the tool. */
function deliveryLine(ctx, d, endpointsByID) {
  const endpoint = endpointsByID.get(d.endpoint_id);
  const name = endpoint ? h("a", { href: ctx.link("endpoints", d.endpoint_id) }, endpoint.name) : h("span", { class: "muted" }, d.endpoint_name || "deleted endpoint");
  const attempt = d.last_attempt;
  const answer = !attempt ? "not tried yet"
    : attempt.response_status ? `answered ${attempt.response_status}` : "no answer";
  return h("li", { "data-delivery": d.id, "data-status": d.status },
    h("div", { class: "row" },
      deliveryBadge(d),
      h("strong", null, name),
      d.integration ? h("span", { class: "small muted" }, d.integration) : null,
      h("span", { class: "small muted" }, answer, attempt ? h("span", null, ", ", when(attempt.created_at)) : null)),
    identifiersLine(d),
    d.last_error ? h("p", { class: "small cell-error", title: d.last_error }, d.last_error) : null);
}

function identifiersLine(d) {
  if (!d.last_attempt) return null;
  if (d.identifiers.length === 0) {
    return h("p", { class: "small muted", "data-identifiers": "" }, d.integration === "webhook"
      ? "A plain webhook: it received the whole event."
      : "The request named no customer identifier that hookbridge knows for this tool.");
  }
  return h("p", { class: "small", "data-identifiers": "" }, "Sent as ",
    d.identifiers.flatMap((id, i) => [i > 0 ? ", " : "", h("code", null, id.field), " = ", h("code", { "data-identifier": id.field }, id.value)]));
}

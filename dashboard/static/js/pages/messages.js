// Messages: the app's events, searchable by event type, by a customer id,
// email or any text in the payload, and by time; one message with its
// deliveries to every endpoint.

import { h, replace } from "../dom.js";
import { customerOf, exactTime, pretty, toLocalInput, toRFC3339, when } from "../format.js";
import { deliveryRow } from "../deliveries.js";
import { errorNotice, field, toast } from "../ui.js";
import { resendCard } from "./resend.js";

export async function messagesPage(ctx) {
  ctx.setTitle("Messages");
  const q = ctx.query;
  const eventType = h("select", { name: "event_type" }, h("option", { value: "" }, "Any event type"),
    ctx.catalog.eventTypes.map((et) => h("option", { value: et.name }, et.name)));
  eventType.value = q.get("event_type") || "";
  const search = h("input", { type: "search", name: "search", value: q.get("search") || "", placeholder: "cus_… or jane@example.com", spellcheck: false });
  const since = h("input", { type: "datetime-local", name: "since", value: localFromQuery(q.get("since")) });
  const until = h("input", { type: "datetime-local", name: "until", value: localFromQuery(q.get("until")) });
  const list = h("ul", { class: "rows", "data-messages": "" });
  const more = h("div", { class: "row" });
  const sources = new Map((await ctx.app.sources()).map((s) => [s.id, s]));
  const filter = { event_type: eventType.value, search: search.value, since: toRFC3339(since.value), until: toRFC3339(until.value) };

  async function load(before) {
    const page = await ctx.app.messages({ ...filter, before, limit: 50 });
    if (!before) replace(list);
    if (!before && page.data.length === 0) {
      list.append(h("li", { class: "empty" }, h("p", null, Object.values(filter).some(Boolean) ? "No events match this search." : "No events yet. Post one to the API, point a source at hookbridge, or send a sample below.")));
    }
    list.append(...page.data.map((m) => messageRow(ctx, m, sources)));
    replace(more, page.next_before ? h("button", { type: "button", class: "btn", onclick: () => load(page.next_before) }, "Show older events") : null);
  }

  const form = h("form", { class: "filters", role: "search", "aria-label": "Search events" },
    field("Event type", eventType), field("Customer id, email or text", search), field("Since", since), field("Until", until),
    h("div", { class: "field" }, h("button", { type: "submit", class: "btn btn-primary" }, "Search")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    if (eventType.value) params.set("event_type", eventType.value);
    if (search.value.trim()) params.set("search", search.value.trim());
    if (since.value) params.set("since", toRFC3339(since.value));
    if (until.value) params.set("until", toRFC3339(until.value));
    const qs = params.toString();
    ctx.navigate(ctx.link("messages") + (qs ? `?${qs}` : ""));
  });

  await load("");
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Messages"),
      h("p", { class: "lede" }, "Every payment event this app received, and where each one was delivered."))),
    h("section", { class: "card" }, form, list, more),
    sampleCard(ctx));
}

function localFromQuery(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : toLocalInput(d);
}

function messageRow(ctx, m, sources) {
  const source = m.source_id ? (sources.get(m.source_id) || { name: m.source_id }).name : "API";
  return h("li", null, h("a", { class: "row-link", href: ctx.link("messages", m.id), "data-message": m.id },
    h("code", { class: "ellipsis" }, m.event_type),
    h("span", { class: "ellipsis" }, customerOf(m.payload) || h("span", { class: "muted" }, m.event_id)),
    h("span", { class: "small muted ellipsis hide-narrow" }, source),
    h("span", { class: "small muted" }, when(m.created_at))));
}

/** sampleCard sends a sample event of any type, to see it flow through the endpoints. */
function sampleCard(ctx) {
  const type = h("select", { id: "sample-type", name: "sample_type" }, ctx.catalog.eventTypes.map((et) => h("option", { value: et.name }, et.name)));
  const send = h("button", { type: "submit", class: "btn", "data-action": "send-sample" }, "Send sample event");
  const form = h("form", { class: "row" }, h("div", { class: "field spacer" }, h("label", { for: "sample-type" }, "Event type"), type), send);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const et = ctx.catalog.eventByName.get(type.value);
    send.disabled = true;
    try {
      const msg = await ctx.app.createMessage({ event_type: et.name, payload: et.sample });
      toast("Sample event sent");
      ctx.navigate(ctx.link("messages", msg.id));
    } catch (err) {
      toast(err.message, { bad: true });
    } finally {
      send.disabled = false;
    }
  });
  return h("details", { class: "card disclosure" },
    h("summary", null, "Send a sample event"),
    h("p", { class: "muted small field" }, "Posts the catalogue's sample payload of that type as a real event of this app: every endpoint subscribed to it receives it."),
    form);
}

export async function messagePage(ctx) {
  const [id] = ctx.params;
  const [msg, endpoints] = await Promise.all([ctx.app.message(id), ctx.app.endpoints()]);
  ctx.setTitle(msg.event_type);
  const endpointsByID = new Map(endpoints.map((e) => [e.id, e]));
  const list = h("ul", { class: "rows", "data-deliveries": "" });
  const status = h("div", { "aria-live": "polite" });

  async function refresh() {
    try {
      const fresh = await ctx.app.message(id);
      render(fresh.deliveries || []);
      replace(status);
    } catch (err) {
      replace(status, errorNotice(err));
    }
  }
  function render(deliveries) {
    if (deliveries.length === 0) {
      replace(list, h("li", { class: "empty" }, h("p", null, "No endpoint was subscribed to this event type when it arrived.")));
      return;
    }
    replace(list, ...deliveries.map((d) => deliveryRow(d, { app: ctx.app, endpointsByID, linkTo: null, onRetried: refresh }).li));
  }
  render(msg.deliveries || []);

  const facts = h("dl", { class: "kv" },
    h("dt", null, "Message id"), h("dd", null, msg.id),
    h("dt", null, "Event id"), h("dd", null, msg.event_id),
    h("dt", null, "Received"), h("dd", null, exactTime(msg.created_at)),
    h("dt", null, "Source"), h("dd", null, msg.source_id || "API"));

  return h("div", null,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: ctx.link("messages") }, "Messages"), ` / ${msg.id}`),
    h("div", { class: "page-head" }, h("div", null, h("h1", null, h("code", null, msg.event_type)),
      h("p", { class: "lede" }, customerOf(msg.payload) ? `About ${customerOf(msg.payload)}, received ` : "Received ", when(msg.created_at), "."))),
    h("div", { class: "stack" },
      h("section", { class: "card", "aria-labelledby": "msg-deliveries" },
        h("div", { class: "card-head" }, h("h2", { id: "msg-deliveries" }, "Deliveries"),
          h("button", { type: "button", class: "btn btn-small", onclick: refresh, "data-action": "refresh-deliveries" }, "Refresh")),
        status, list,
        h("p", { class: "small muted" }, endpoints.length, " endpoint", endpoints.length === 1 ? "" : "s", " in this app. ",
          h("a", { href: ctx.link("endpoints") }, "Manage endpoints"))),
      resendCard(ctx, msg, endpoints, refresh),
      h("section", { class: "card", "aria-labelledby": "msg-payload" },
        h("h2", { id: "msg-payload", class: "field" }, "Event"), facts,
        h("h3", { class: "section-label" }, "Payload"),
        h("pre", { class: "code", tabindex: "0" }, pretty(msg.payload)))));
}


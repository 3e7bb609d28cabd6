// Event types: the catalogue of payment events, grouped by category, each
// with what it means and its sample payload, which can be copied. A filter
// narrows the list as one types.

import { h, replace } from "../dom.js";
import { pretty } from "../format.js";
import { copyText, field, toast } from "../ui.js";

export async function eventTypesPage(ctx) {
  ctx.setTitle("Event types");
  const groups = ctx.catalog.categories();
  const search = h("input", { type: "search", name: "event_type_search", placeholder: "payment, refund, dispute…", spellcheck: false, autocomplete: "off" });
  const count = h("p", { class: "small muted", role: "status" });
  const list = h("div", { class: "stack", "data-event-types": "" });
  const cards = [];
  for (const [category, types] of groups) {
    const items = types.map((et) => {
      const item = eventTypeItem(ctx, et);
      cards.push({ et, item });
      return item;
    });
    list.append(h("section", { class: "card", "aria-label": category, "data-category": category },
      h("h2", { class: "field" }, category), h("div", { class: "stack" }, items)));
  }
  function applyFilter() {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const { et, item } of cards) {
      const match = !q || et.name.toLowerCase().includes(q) || (et.description || "").toLowerCase().includes(q);
      item.hidden = !match;
      if (match) shown += 1;
    }
    for (const sec of list.children) sec.hidden = ![...sec.querySelectorAll("[data-event-type]")].some((el) => !el.hidden);
    replace(count, `${shown} of ${cards.length} event types`);
  }
  search.addEventListener("input", applyFilter);
  applyFilter();
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Event types"),
      h("p", { class: "lede" }, "The payment events hookbridge knows: what each one means and a sample of its payload. Endpoints subscribe to them; transformations read them as ",
        h("code", null, "webhook.eventType"), "."))),
    h("div", { class: "card" }, h("form", { role: "search", "aria-label": "Filter event types", onsubmit: (e) => e.preventDefault() },
      field("Filter", search)), count),
    list);
}

// eventTypeItem is one event type: its name, description, and the sample
// folded under a disclosure with a Copy button.
function eventTypeItem(ctx, et) {
  const sample = pretty(et.sample);
  const copy = h("button", { type: "button", class: "btn btn-small", "data-action": "copy-sample", "aria-label": `Copy the sample of ${et.name}` }, "Copy sample");
  const pre = h("pre", { class: "code", tabindex: "0", "data-sample": et.name, "aria-label": `Sample of ${et.name}` }, sample);
  const details = h("details", { class: "disclosure" }, h("summary", null, "Sample payload"), pre);
  copy.addEventListener("click", async () => {
    if (await copyText(sample, null)) {
      toast(`Sample of ${et.name} copied`);
      return;
    }
    // No clipboard (a page served over plain HTTP): show the sample
    // selected, for the keyboard's copy.
    details.open = true;
    pre.focus();
    window.getSelection().selectAllChildren(pre);
    toast("The sample is selected: copy it with Ctrl+C (⌘C on a Mac)");
  });
  const id = `et-${et.name.replace(/[^a-z0-9]+/gi, "-")}`;
  return h("article", { class: "event-type", id, "data-event-type": et.name, "aria-labelledby": `${id}-name` },
    h("div", { class: "card-head" }, h("div", null, h("h3", { id: `${id}-name` }, h("code", null, et.name)),
      h("p", null, et.description || "")), copy),
    details,
    h("p", { class: "small" }, h("a", { href: `${ctx.link("messages")}?event_type=${encodeURIComponent(et.name)}` }, "Events of this type")));
}

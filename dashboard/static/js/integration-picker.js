// The Add Endpoint destination picker: integration cards grouped by their
// catalogue group (see GROUP_ORDER), and a search box that filters them by
// name, description and group.
//
// Keyboard: the search box is an ordinary text field; Arrow Down moves
// from it to the first card shown, Enter chooses the only card left,
// Escape clears it. On a card, the arrow keys move among the cards shown,
// and Arrow Up from the first goes back to the search box.

import { h, svgImage, uid } from "./dom.js";
import { groupIntegrations, isPlainWebhook } from "./catalog.js";

const PLAIN_TITLE = "Plain URL";
const PLAIN_DESCRIPTION = "Post each event, signed with Standard Webhooks, to your own HTTPS endpoint.";

/**
 * integrationPicker makes the picker for the catalogue's integrations;
 * onChoose(integration) is called when a card is chosen. It returns the
 * element and select(id), which marks a card as chosen.
 */
export function integrationPicker(catalog, onChoose) {
  const cards = new Map();
  const listID = uid("integration-list");
  const countID = uid("integration-count");
  const search = h("input", {
    type: "search", id: uid("integration-search"), name: "integration_search", autocomplete: "off", spellcheck: false,
    placeholder: "Slack, email, CRM…", "aria-controls": listID, "aria-describedby": countID, "data-integration-search": "",
  });
  const count = h("p", { class: "help", id: countID, role: "status", "aria-live": "polite", "data-integration-count": "" });
  const emptyText = h("span", null);
  const clear = h("button", { type: "button", class: "btn btn-small", "data-action": "clear-integration-search" }, "Clear the search");
  const empty = h("div", { class: "notice", hidden: true, "data-integration-empty": "" },
    emptyText, " ", clear);

  const groups = groupIntegrations(catalog.integrations).map(([group, list]) => {
    const headingID = uid("group");
    const groupCards = list.map((integration) => card(integration, onChoose));
    for (const c of groupCards) cards.set(c.dataset.integration, c);
    return {
      group,
      cards: groupCards,
      element: h("section", { class: "integration-group", "aria-labelledby": headingID, "data-group": group },
        h("h3", { id: headingID, class: "section-label" }, group, h("span", { class: "muted" }, ` (${list.length})`)),
        h("div", { class: "integration-grid" }, groupCards)),
    };
  });

  const visibleCards = () => [...cards.values()].filter((c) => !c.hidden && !c.closest("[hidden]"));
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const g of groups) {
      let inGroup = 0;
      for (const c of g.cards) {
        c.hidden = !words.every((w) => c.dataset.search.includes(w));
        if (!c.hidden) inGroup += 1;
      }
      g.element.hidden = inGroup === 0;
      shown += inGroup;
    }
    empty.hidden = shown > 0;
    emptyText.textContent = `No integration matches “${search.value.trim()}”. Try a tool's name or a kind of tool (analytics, email), or choose a plain URL to send events to any HTTPS endpoint.`;
    count.textContent = words.length === 0 ? `${cards.size} destinations` : `${shown} of ${cards.size} destinations match`;
  };
  const clearSearch = () => {
    search.value = "";
    filter();
    search.focus();
  };
  search.addEventListener("input", filter);
  search.addEventListener("keydown", (e) => {
    const shown = visibleCards();
    if (e.key === "ArrowDown" && shown.length > 0) {
      e.preventDefault();
      shown[0].focus();
    } else if (e.key === "Enter" && shown.length === 1) {
      e.preventDefault();
      shown[0].click();
    } else if (e.key === "Escape" && search.value !== "") {
      e.preventDefault();
      clearSearch();
    }
  });
  clear.addEventListener("click", clearSearch);
  const list = h("div", { id: listID, class: "stack integration-groups" }, groups.map((g) => g.element));
  list.addEventListener("keydown", (e) => moveAmongCards(e, visibleCards(), search));
  filter();

  const element = h("div", { class: "integration-picker" },
    h("div", { class: "field picker-search" }, h("label", { for: search.id }, "Search destinations"), search, count),
    empty,
    list);
  return {
    element,
    select(id) {
      for (const [cardID, c] of cards) c.setAttribute("aria-pressed", String(cardID === id));
    },
  };
}

// card is one integration's button: its logo, name and description. Its
// data-search holds the words the search box matches.
function card(integration, onChoose) {
  const plain = isPlainWebhook(integration);
  const title = plain ? PLAIN_TITLE : integration.name;
  const description = plain ? PLAIN_DESCRIPTION : integration.description;
  const b = h("button", {
    type: "button", class: "integration-card", "aria-pressed": "false", "data-integration": integration.id,
    "data-search": [title, integration.name, integration.id, description, integration.group].filter(Boolean).join(" ").toLowerCase(),
  }, svgImage(integration.logo, ""), h("span", null, h("strong", null, title), h("span", { class: "desc" }, description || "")));
  b.addEventListener("click", () => onChoose(integration));
  return b;
}

// moveAmongCards moves the focus among the cards shown with the arrow
// keys, and from the first card up to the search box.
function moveAmongCards(e, shown, search) {
  const i = shown.indexOf(document.activeElement);
  if (i < 0) return;
  const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: shown.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  if (to < 0) search.focus();
  else if (to < shown.length) shown[to].focus();
}

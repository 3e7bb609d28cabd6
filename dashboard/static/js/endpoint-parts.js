// The parts of an endpoint's form that the Add Endpoint flow and the
// endpoint's Settings share: credentials generated from the integration's
// fields, event-type selection, template choice, headers.

import { h, uid, svgImage } from "./dom.js";
import { field } from "./ui.js";

/**
 * credentialsForm builds inputs from an integration's credential fields:
 * secret fields are password inputs, fields with choices (a region) are
 * selects. With current (an endpoint's masked credentials) secret inputs
 * start empty, show the masked value, and mean "keep" while empty: the
 * server never gives secrets back. The URL credential (a webhook URL that
 * holds a token) is a secret too, with help saying why.
 */
export function credentialsForm(integration, current) {
  const editing = current !== undefined;
  const inputs = [];
  const element = h("div", { class: "credentials" });
  for (const f of (integration.credentials || []).filter((c) => !c.hidden)) {
    const { control, wrapper } = credentialControl(f, editing, (current || {})[f.name], f.name === integration.url_credential);
    inputs.push({ f, control, initial: control.value });
    element.append(wrapper);
  }
  if (inputs.length === 0) element.append(h("p", { class: "muted small" }, `${integration.name} needs no credentials.`));
  return {
    element,
    /** values returns the credentials to send: all given values on create, only changed ones on update. */
    values() {
      const out = {};
      for (const { f, control, initial } of inputs) {
        const v = control.value.trim();
        if (editing) {
          if (f.secret ? v !== "" : v !== initial) out[f.name] = v;
        } else if (v !== "") {
          out[f.name] = v;
        }
      }
      return out;
    },
    /** draftValues returns the non-secret fields as typed, for a draft kept in the browser: secrets are never kept. */
    draftValues() {
      const out = {};
      for (const { f, control } of inputs) if (!f.secret) out[f.name] = control.value;
      return out;
    },
    /** restore fills the non-secret fields from a draft. */
    restore(values) {
      for (const { f, control } of inputs) {
        if (!f.secret && typeof (values || {})[f.name] === "string") control.value = values[f.name];
      }
    },
  };
}

function credentialControl(f, editing, currentValue, isURL) {
  const id = uid("cred");
  const dataField = `credentials.${f.name}`;
  let control;
  if (f.choices && f.choices.length > 0) {
    control = h("select", { id, name: f.name, "data-field": dataField },
      !f.required && !f.default ? h("option", { value: "" }, "—") : null,
      f.choices.map((c) => h("option", { value: c }, c)));
    control.value = currentValue || f.default || (f.required ? f.choices[0] : "");
  } else {
    control = h("input", {
      id, name: f.name, "data-field": dataField, spellcheck: false,
      type: f.secret ? "password" : "text",
      autocomplete: f.secret ? "new-password" : "off",
      required: f.required && !editing,
      inputmode: isURL ? "url" : undefined,
      "data-url-credential": isURL ? "" : undefined,
    });
    if (editing && f.secret) {
      control.placeholder = currentValue ? `${currentValue} (stored; type to replace)` : "not set";
    } else {
      control.value = currentValue || "";
      if (f.default) control.placeholder = f.default;
    }
  }
  let help = f.help || "";
  if (isURL) help = `${help ? `${help} ` : ""}It holds a token, so it is kept encrypted like a password and masked wherever requests are shown.`;
  if (editing && f.secret) help = "Stored encrypted and never shown again. Leave empty to keep it; type a new value to replace it.";
  const label = f.required ? f.label : `${f.label} (optional)`;
  const wrapper = field(label, control, { help, id });
  if (f.secret && control.tagName === "INPUT") addRevealButton(control, f.label);
  return { control, wrapper };
}

function addRevealButton(input, label) {
  const button = h("button", { type: "button", class: "btn btn-small", "aria-pressed": "false" }, "Show");
  button.setAttribute("aria-label", `Show ${label}`);
  button.addEventListener("click", () => {
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    button.textContent = show ? "Hide" : "Show";
    button.setAttribute("aria-pressed", String(show));
  });
  const group = h("div", { class: "input-group" });
  input.replaceWith(group);
  group.append(input, button);
}

/**
 * eventTypePicker lets a user choose event types, or all of them (an empty
 * list, which also takes event types added later). The types come in
 * groups by category (payment, subscription, …), each folded by default
 * behind a summary saying how many of its types are selected, with a
 * select-all box per group: the picker costs one Tab stop per group.
 */
export function eventTypePicker(catalog, selected = []) {
  const all = h("input", { type: "checkbox", checked: selected.length === 0, "data-field": "event_types", name: "all_events" });
  const boxes = new Map();
  const groups = [];
  const list = h("div", { class: "event-groups", role: "group", "aria-label": "Event types by category" });
  for (const [category, types] of catalog.categories()) {
    const group = eventTypeGroup(category, types, selected);
    for (const [name, box] of group.boxes) boxes.set(name, box);
    groups.push(group);
    list.append(group.element);
  }
  const sync = () => {
    for (const g of groups) g.sync(all.checked);
    list.classList.toggle("muted", all.checked);
  };
  all.addEventListener("change", sync);
  list.addEventListener("change", sync);
  sync();
  rovingFocus(groups.map((g) => g.element.querySelector("summary")));
  const element = h("fieldset", { class: "event-picker" },
    h("legend", { class: "visually-hidden" }, "Event types"),
    h("p", { class: "muted small" }, "Open a category to choose its event types; the arrow keys move between categories."),
    h("label", { class: "check field" }, all, h("span", null, h("strong", null, "All event types"), h("span", { class: "muted small" }, " — including types added later"))),
    list);
  return {
    element,
    value: () => (all.checked ? [] : [...boxes.values()].filter((b) => b.checked).map((b) => b.value)),
    set(names) {
      all.checked = names.length === 0;
      for (const [name, box] of boxes) box.checked = names.includes(name);
      sync();
    },
  };
}

// rovingFocus makes a list of controls one Tab stop: Tab reaches the one
// used last, the arrow keys (and Home, End) move among them.
function rovingFocus(items) {
  items.forEach((item, i) => {
    item.tabIndex = i === 0 ? 0 : -1;
    item.addEventListener("keydown", (e) => {
      const to = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: items.length - 1 }[e.key];
      if (to === undefined || to < 0 || to >= items.length) return;
      e.preventDefault();
      item.tabIndex = -1;
      items[to].tabIndex = 0;
      items[to].focus();
    });
  });
}

// eventTypeGroup is one category of the picker: a folded <details> whose
// summary counts the selected types, a select-all box and the types.
function eventTypeGroup(category, types, selected) {
  const boxes = new Map();
  const groupAll = h("input", { type: "checkbox", name: "event_group", value: category, "data-group-all": category });
  const count = h("span", { class: "count", "data-group-count": "" });
  const body = h("div", { class: "event-group-body" },
    h("label", { class: "check group-all" }, groupAll, h("span", null, `Select all ${category} events`)));
  for (const et of types) {
    const box = h("input", { type: "checkbox", name: "event_type", value: et.name, checked: selected.includes(et.name) });
    boxes.set(et.name, box);
    body.append(h("label", { class: "check", title: et.description }, box, h("span", null, et.name)));
  }
  groupAll.addEventListener("change", () => {
    for (const box of boxes.values()) box.checked = groupAll.checked;
  });
  const element = h("details", { class: "event-group", "data-event-group": category },
    h("summary", null, h("strong", null, category), count), body);
  return {
    element,
    boxes,
    sync(everything) {
      const n = everything ? types.length : [...boxes.values()].filter((b) => b.checked).length;
      count.textContent = `${n} of ${types.length} selected`;
      groupAll.checked = n === types.length;
      groupAll.indeterminate = n > 0 && n < types.length;
      groupAll.disabled = everything;
      for (const box of boxes.values()) box.disabled = everything;
    },
  };
}

/**
 * templatePicker lists an integration's templates as radio buttons; from-docs
 * templates are marked, since some of them send what the destination rejects.
 */
export function templatePicker(integration, { selected, onPick }) {
  const name = uid("template");
  const options = (integration.templates || []).map((t) => {
    const radio = h("input", { type: "radio", name, value: t.id, checked: t.id === selected, "data-template": t.id });
    radio.addEventListener("change", () => radio.checked && onPick(t));
    return h("label", { class: "template-option" }, radio,
      h("span", null,
        h("span", { class: "row" }, h("strong", null, t.name), t.from_docs ? h("span", { class: "tag" }, "From the docs, verbatim") : null),
        h("span", { class: "desc" }, t.description),
        t.event_types && t.event_types.length > 0 ? h("span", { class: "chips" }, t.event_types.map((e) => h("span", { class: "chip" }, e))) : null));
  });
  if (options.length === 0) return h("p", { class: "muted small" }, "No templates: write a handler below.");
  return h("fieldset", null, h("legend", null, "Start from a template"), h("div", { class: "template-list" }, options));
}

/** headersField edits extra request headers, one "Name: value" per line. */
export function headersField(headers = {}) {
  const text = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\n");
  const area = h("textarea", { rows: 3, spellcheck: false, "data-field": "headers", placeholder: "X-Team: growth", value: text });
  return {
    element: field("Extra headers", area, { help: "One per line, as Name: value. Sent with every request to this endpoint." }),
    value() {
      const out = {};
      for (const line of area.value.split("\n")) {
        const i = line.indexOf(":");
        if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      return out;
    },
  };
}

/** integrationHeading shows an integration's logo and name. */
export function integrationHeading(integration, size = "logo") {
  return h("span", { class: "endpoint-name" }, svgImage(integration.logo, "", size), h("span", null, integration.name));
}

/** defaultHandler is the code offered when an endpoint starts without a template. */
export const defaultHandler = `function handler(webhook) {
  // webhook.eventType, webhook.payload, webhook.url, webhook.headers:
  // change what you need and return the webhook.
  return webhook;
}
`;

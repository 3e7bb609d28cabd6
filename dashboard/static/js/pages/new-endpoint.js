// Add Endpoint, step by step as the integration guides describe it:
// choose a plain URL or an integration card → enter its credentials →
// edit the transformation, starting from a template → choose event types →
// test with sample payloads → Create.

import { h, replace, svgImage } from "../dom.js";
import { isPlainWebhook } from "../catalog.js";
import { codeEditor } from "../editor.js";
import { credentialsForm, defaultHandler, eventTypePicker, headersField, templatePicker } from "../endpoint-parts.js";
import { testPanel } from "../test-panel.js";
import { errorNotice, field, showFieldErrors } from "../ui.js";

export async function newEndpointPage(ctx) {
  ctx.setTitle("Add endpoint");
  const rest = h("div", { class: "steps-rest" });
  const cards = new Map();
  const choose = (integration) => {
    for (const [id, card] of cards) card.setAttribute("aria-pressed", String(id === integration.id));
    replace(rest, endpointForm(ctx, integration));
    const next = rest.querySelector("h2");
    if (next) {
      next.tabIndex = -1;
      next.focus();
    }
  };

  const plain = ctx.catalog.integrations.filter(isPlainWebhook);
  const tools = ctx.catalog.integrations.filter((i) => !isPlainWebhook(i));
  const card = (integration, title, description) => {
    const b = h("button", { type: "button", class: "integration-card", "aria-pressed": "false", "data-integration": integration.id },
      svgImage(integration.logo, ""), h("span", null, h("strong", null, title), h("span", { class: "desc" }, description)));
    b.addEventListener("click", () => choose(integration));
    cards.set(integration.id, b);
    return b;
  };

  const chooser = h("section", { class: "card step", "aria-labelledby": "step-destination" },
    stepHead(1, "Choose a destination", "Send events as they are to a URL of yours, or pick an integration: its card sets up credentials, templates and checks for that tool.", "step-destination"),
    plain.length > 0 ? h("div", { class: "integration-grid field" }, plain.map((i) => card(i, "Plain URL", "Post each event, signed with Standard Webhooks, to your own HTTPS endpoint."))) : null,
    h("details", { class: "disclosure", open: true },
      h("summary", null, `Integrations (${tools.length})`),
      h("div", { class: "integration-grid" }, tools.map((i) => card(i, i.name, i.description)))));

  const page = h("div", null,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: ctx.link("endpoints") }, "Endpoints"), " / Add endpoint"),
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Add endpoint"),
      h("p", { class: "lede" }, "Pick where events go, connect it, shape the events with a transformation, test it on sample events, then create it."))),
    h("div", { class: "steps stack" }, chooser, rest));

  const preset = ctx.query.get("integration");
  if (preset && ctx.catalog.byID.has(preset)) queueMicrotask(() => choose(ctx.catalog.byID.get(preset)));
  return page;
}

function stepHead(n, title, text, id) {
  return h("div", { class: "step-head" }, h("span", { class: "step-num", "aria-hidden": "true" }, String(n)),
    h("div", null, h("h2", { id }, h("span", { class: "visually-hidden" }, `Step ${n}: `), title), text ? h("p", null, text) : null));
}

/** endpointForm is steps 2 to 5 and Create, for one integration. */
function endpointForm(ctx, integration) {
  const plain = isPlainWebhook(integration);
  const templates = integration.templates || [];
  const first = templates.find((t) => !t.from_docs) || templates[0];
  const controls = formControls(integration, plain);
  const transform = transformationStep(ctx, integration, plain, first, controls);
  const error = h("div", { "aria-live": "assertive" });
  const create = h("button", { type: "submit", class: "btn btn-primary", "data-action": "create-endpoint" }, "Create");

  const form = h("form", { class: "stack", novalidate: true, "data-integration": integration.id },
    connectStep(integration, plain, controls),
    transform.element,
    h("section", { class: "card step", "aria-labelledby": "step-events" },
      stepHead(4, "Events", "Which event types this endpoint receives. The template chose the ones its handler understands.", "step-events"),
      controls.events.element),
    h("section", { class: "card step", "aria-labelledby": "step-test" },
      stepHead(5, "Test", "Run the transformation on a sample of any event type, or on a payload you paste, and see exactly what would be sent.", "step-test"),
      transform.test.element),
    plain ? h("section", { class: "card" }, h("h2", { class: "field" }, "Advanced"), advancedFields(controls)) : null,
    h("div", { class: "actions-bar" }, create, h("a", { class: "btn", href: ctx.link("endpoints") }, "Cancel"), h("div", { class: "spacer" }, error)));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    create.disabled = true;
    try {
      const ep = await ctx.app.createEndpoint(createBody(integration, controls, transform.draft()));
      ctx.navigate(ctx.link("endpoints", ep.id), { flash: { created: true, generatedSecrets: ep.generated_secrets || null } });
    } catch (err) {
      create.disabled = false;
      const codeError = (err.fields || []).find((f) => f.field === "transformation.code" && f.line);
      if (codeError) transform.editor.markError(codeError.line, 0, codeError.message);
      showFieldErrors(form, err.fields);
      replace(error, errorNotice(err));
    }
  });
  return form;
}

/** formControls makes the inputs the steps share. */
function formControls(integration, plain) {
  return {
    name: h("input", { type: "text", name: "name", value: plain ? "" : integration.name, "data-field": "name", placeholder: plain ? "Billing service" : integration.name }),
    url: h("input", { type: "url", name: "url", "data-field": "url", spellcheck: false, required: plain, placeholder: plain ? "https://example.com/webhooks" : integration.default_url || "" }),
    credentials: credentialsForm(integration),
    headers: headersField(),
    rateLimit: h("input", { type: "number", name: "rate_limit", min: 0, step: 1, value: "0", "data-field": "rate_limit" }),
    events: null,
  };
}

function advancedFields(c) {
  return [c.headers.element, field("Rate limit (requests per second, 0 = none)", c.rateLimit)];
}

/** connectStep is step 2: the name, the URL, the credentials. */
function connectStep(integration, plain, c) {
  return h("section", { class: "card step", "aria-labelledby": "step-connect" },
    stepHead(2, plain ? "Where should events go?" : `Connect ${integration.name}`,
      plain ? "Your endpoint receives each event as JSON, signed with a secret that hookbridge generates."
        : `Enter the credentials from your ${integration.name} account. They are stored encrypted and never shown again.`, "step-connect"),
    h("div", { class: "grid-2" }, field("Endpoint name", c.name), plain ? field("Endpoint URL", c.url) : null),
    c.credentials.element,
    plain ? null : h("details", { class: "disclosure" }, h("summary", null, "Advanced: URL, headers, rate limit"),
      field("URL override (optional)", c.url, { help: `The handler's starting webhook.url. Leave empty for ${integration.default_url || "the integration's default"}; the region credential picks the host.` }),
      advancedFields(c)));
}

/**
 * transformationStep is step 3: the template picker and the editor,
 * preloaded with the first template. It also makes the event picker
 * (a template chooses event types) and the test panel (which runs the
 * editor's code).
 */
function transformationStep(ctx, integration, plain, first, c) {
  let templateCode = first ? first.code : defaultHandler;
  const editor = codeEditor(templateCode, { label: `${integration.name} transformation code` });
  const enabled = h("input", { type: "checkbox", name: "transformation_enabled", checked: !plain });
  const editorBox = h("div", { hidden: plain });
  enabled.addEventListener("change", () => { editorBox.hidden = !enabled.checked; });
  c.events = eventTypePicker(ctx.catalog, first ? first.event_types || [] : []);

  const draft = () => ({
    code: plain && !enabled.checked ? "" : editor.getCode(),
    credentials: c.credentials.values(),
    url: c.url.value.trim(),
    headers: c.headers.value(),
  });
  const test = testPanel({ app: ctx.app, catalog: ctx.catalog, integration, draft, editor, eventType: first && first.event_types ? first.event_types[0] : undefined });
  const picker = templatePicker(integration, {
    selected: first && first.id,
    onPick(t) {
      if (editor.getCode() !== templateCode && !window.confirm(`Replace your edited code with the template "${t.name}"?`)) return;
      templateCode = t.code;
      editor.setCode(t.code);
      editor.clearErrors();
      c.events.set(t.event_types || []);
      if (t.event_types && t.event_types.length > 0) test.setEventType(t.event_types[0]);
    },
  });
  editorBox.append(picker, editor.element);

  const element = h("section", { class: "card step", "aria-labelledby": "step-transform" },
    stepHead(3, "Transformation", plain
      ? "Optionally reshape events before they are sent: change webhook.payload, webhook.url or webhook.headers."
      : `A JavaScript handler turns each payment event into a ${integration.name} API request. Start from a template and edit it.`, "step-transform"),
    plain ? h("label", { class: "check field" }, enabled, h("span", null, "Transform events before sending")) : null,
    editorBox);
  return { element, editor, test, draft };
}

/** createBody is the endpoint to create, from the form. */
function createBody(integration, c, draft) {
  const body = {
    name: c.name.value.trim(),
    integration: integration.id,
    credentials: draft.credentials,
    event_types: c.events.value(),
    headers: draft.headers,
    rate_limit: Number(c.rateLimit.value) || 0,
  };
  if (draft.url) body.url = draft.url;
  if (draft.code) body.transformation = { code: draft.code, enabled: true };
  return body;
}

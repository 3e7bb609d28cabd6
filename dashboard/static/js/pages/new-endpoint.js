// Add Endpoint, step by step as the integration guides describe it:
// choose a plain URL or an integration card → enter its credentials →
// edit the transformation, starting from a template → choose event types →
// test with sample payloads → Create.
//
// The form is kept as a draft in the browser's sessionStorage (card, name,
// non-secret credentials, code, template, event types; never a secret, nor
// the URL or headers, which may carry one), so a reload or a session that
// ends before Create loses the least.

import { isRejectedSave, rejectedSaveNotice } from "../save-check.js";
import { h, replace } from "../dom.js";
import { isPlainWebhook } from "../catalog.js";
import { eventTypesInCode } from "../code-event-types.js";
import { draftStore } from "../draft.js";
import { codeEditor } from "../editor.js";
import { credentialsForm, defaultHandler, eventTypePicker, headersField, templatePicker } from "../endpoint-parts.js";
import { integrationPicker } from "../integration-picker.js";
import { addToSlack } from "../slack-connect.js";
import { verifyButton } from "../verify.js";
import { testPanel } from "../test-panel.js";
import { field, focusFirstInvalid, formError, showFieldErrors } from "../ui.js";

export async function newEndpointPage(ctx) {
  ctx.setTitle("Add endpoint");
  const drafts = draftStore(`hookbridge.draft.new-endpoint.${ctx.appID}`);
  const rest = h("div", { class: "steps-rest" });
  const choose = (integration, draft = null, { focus = true } = {}) => {
    picker.select(integration.id);
    replace(rest, endpointForm(ctx, integration, { draft, drafts, restart: () => choose(integration) }));
    const next = rest.querySelector("h2");
    if (next && focus) {
      next.tabIndex = -1;
      next.focus();
    }
  };
  const picker = integrationPicker(ctx.catalog, (integration) => choose(integration));
  const chooser = h("section", { class: "card step", "aria-labelledby": "step-destination" },
    stepHead(1, "Choose a destination", "Send events as they are to a URL of yours, or pick an integration: its card sets up credentials, templates and checks for that tool.", "step-destination"),
    picker.element);

  const page = h("div", null,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: ctx.link("endpoints") }, "Endpoints"), " / Add endpoint"),
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Add endpoint"),
      h("p", { class: "lede" }, "Pick where events go, connect it, shape the events with a transformation, test it on sample events, then create it."))),
    h("div", { class: "steps stack" }, chooser, rest));

  const preset = ctx.query.get("integration");
  const saved = drafts.load();
  const fromDraft = saved && ctx.catalog.byID.has(saved.integration) && (!preset || preset === saved.integration) ? saved : null;
  if (fromDraft) queueMicrotask(() => choose(ctx.catalog.byID.get(fromDraft.integration), fromDraft, { focus: false }));
  else if (preset && ctx.catalog.byID.has(preset)) queueMicrotask(() => choose(ctx.catalog.byID.get(preset)));
  return page;
}

function stepHead(n, title, text, id) {
  return h("div", { class: "step-head" }, h("span", { class: "step-num", "aria-hidden": "true" }, String(n)),
    h("div", null, h("h2", { id }, h("span", { class: "visually-hidden" }, `Step ${n}: `), title), text ? h("p", null, text) : null));
}

/**
 * endpointForm is steps 2 to 5 and Create, for one integration, filled
 * from draft when there is one; every change is kept in drafts.
 */
function endpointForm(ctx, integration, { draft, drafts, restart }) {
  const plain = isPlainWebhook(integration);
  const templates = integration.templates || [];
  const first = templates.find((t) => !t.from_docs) || templates[0];
  const controls = formControls(integration, plain);
  let form = null;
  const changed = () => {
    if (!form) return;
    suggestion.update();
    drafts.save(draftOf(integration, controls, transform));
  };
  const transform = transformationStep(ctx, integration, plain, first, controls, { draft, onChange: changed });
  const suggestion = eventTypeSuggestion(ctx.catalog, transform, controls.events, changed);
  if (draft) restoreDraft(controls, draft);
  controls.verify = plain ? null : verifyButton({ app: ctx.app, integration, form: controls.credentials.element });
  const error = h("div", { "aria-live": "assertive" });
  const create = h("button", { type: "submit", class: "btn btn-primary", "data-action": "create-endpoint" }, "Create");
  const cancel = h("a", { class: "btn", href: ctx.link("endpoints"), onclick: () => drafts.clear() }, "Cancel");

  form = h("form", { class: "stack", novalidate: true, "data-integration": integration.id },
    draft ? draftNotice(() => { drafts.clear(); restart(); }) : null,
    connectStep(ctx, integration, plain, controls),
    transform.element,
    h("section", { class: "card step", "aria-labelledby": "step-events" },
      stepHead(4, "Events", "Which event types this endpoint receives. The template chose the ones its handler understands.", "step-events"),
      suggestion.element,
      controls.events.element),
    h("section", { class: "card step", "aria-labelledby": "step-test" },
      stepHead(5, "Test", "Run the transformation on a sample of any event type, or on a payload you paste, and see exactly what would be sent.", "step-test"),
      transform.test.element),
    plain ? h("section", { class: "card" }, h("h2", { class: "field" }, "Advanced"), advancedFields(integration, controls)) : null,
    h("div", { class: "actions-bar" }, create, cancel, h("div", { class: "spacer" }, error)));

  form.addEventListener("input", changed);
  form.addEventListener("change", () => {
    changed();
    transform.test.refreshHosts();
  });
  suggestion.update();

  const submit = async (force) => {
    replace(error);
    create.disabled = true;
    try {
      const body = createBody(integration, controls, transform.draft());
      const ep = await ctx.app.createEndpoint(force ? { ...body, force: true } : body);
      drafts.clear();
      ctx.navigate(ctx.link("endpoints", ep.id), { flash: { created: true, generatedSecrets: ep.generated_secrets || null } });
    } catch (err) {
      create.disabled = false;
      if (isRejectedSave(err)) {
        const notice = rejectedSaveNotice(err, "Create", () => submit(true));
        replace(error, notice);
        notice.scrollIntoView({ block: "center" });
        notice.querySelector("[data-action=save-anyway]").focus({ preventScroll: true });
        return;
      }
      const codeError = (err.fields || []).find((f) => f.field === "transformation.code" && f.line);
      if (codeError) transform.editor.markError(codeError.line, 0, codeError.message);
      const rest = showFieldErrors(form, err.fields);
      replace(error, formError(err, rest));
      focusFirstInvalid(form, (el) => (el === transform.editor.host ? transform.editor.focus() : el.focus({ preventScroll: true })));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(false);
  });
  return form;
}

/**
 * draftOf is what the form holds that may be kept in the browser: no
 * secret credential, and neither the URL nor the extra headers, which may
 * carry a token.
 */
function draftOf(integration, c, transform) {
  return {
    integration: integration.id,
    name: c.name.value,
    credentials: c.credentials.draftValues(),
    rate_limit: c.rateLimit.value,
    template: transform.template(),
    transformation_enabled: transform.enabled(),
    code: transform.editor.getCode(),
    event_types: c.events.value(),
  };
}

/** restoreDraft fills the controls a draft holds (the code and template are restored by transformationStep). */
function restoreDraft(c, draft) {
  const text = (v) => (typeof v === "string" ? v : "");
  c.name.value = text(draft.name);
  c.credentials.restore(draft.credentials);
  if (draft.rate_limit !== undefined) c.rateLimit.value = text(draft.rate_limit);
  if (Array.isArray(draft.event_types)) c.events.set(draft.event_types.filter((n) => typeof n === "string"));
}

function draftNotice(discard) {
  return h("div", { class: "notice", role: "status", "data-draft-restored": "" },
    h("p", null, h("strong", null, "Your unsaved draft is back. "), "Secret fields, the URL and headers are never kept in the browser: type them again."),
    h("button", { type: "button", class: "btn btn-small", "data-action": "discard-draft", onclick: discard }, "Discard the draft"));
}

/**
 * eventTypeSuggestion offers the event types the code compares eventType
 * with, when they differ from the ones chosen: a pasted handler usually
 * handles others than the template it replaced. It only offers; the
 * person decides.
 */
function eventTypeSuggestion(catalog, transform, events, changed) {
  const element = h("div", { class: "suggest", hidden: true, "data-event-type-suggestion": "" });
  let names = [];
  const use = () => {
    events.set(names);
    transform.test.setEventType(names[0]);
    changed();
  };
  return {
    element,
    update() {
      names = transform.enabled() ? eventTypesInCode(transform.editor.getCode()).filter((n) => catalog.eventByName.has(n)) : [];
      const chosen = events.value();
      const same = chosen.length === names.length && names.every((n) => chosen.includes(n));
      element.hidden = names.length === 0 || same;
      if (element.hidden) return;
      const types = names.length === 1 ? "event type" : `${names.length} event types`;
      replace(element,
        h("span", null, `This code handles ${names.join(", ")}.`),
        h("button", { type: "button", class: "btn btn-small", "data-action": "use-code-event-types", onclick: use }, `Use the ${types} this code handles`));
    },
  };
}

/** formControls makes the inputs the steps share. */
function formControls(integration, plain) {
  return {
    name: h("input", { type: "text", name: "name", value: plain ? "" : integration.name, "data-field": "name", placeholder: plain ? "Billing service" : integration.name }),
    url: h("input", { type: "url", name: "url", "data-field": "url", spellcheck: false, required: plain, placeholder: plain ? "https://example.com/webhooks" : integration.default_url || "" }),
    credentials: credentialsForm(integration),
    headers: headersField(),
    rateLimit: h("input", { type: "number", name: "rate_limit", min: 0, step: 1, value: "", placeholder: integration.rate_limit ? String(integration.rate_limit.requests) : "0", "data-field": "rate_limit" }),
    events: null,
  };
}

function advancedFields(integration, c) {
  return [c.headers.element, field("Rate limit (requests per second)", c.rateLimit, { help: rateLimitHelp(integration) })];
}

/** rateLimitHelp says what an empty rate limit means: the integration's default, or none. */
export function rateLimitHelp(integration) {
  const rl = integration.rate_limit;
  if (!rl || !rl.requests) return "Empty or 0: no limit.";
  const per = !rl.period || rl.period === "1s" ? "per second" : `per ${rl.period}`;
  const burst = rl.burst > 1 ? `, bursts of ${rl.burst}` : "";
  return `Empty: ${integration.name}'s own limit, ${rl.requests} ${rl.requests === 1 ? "request" : "requests"} ${per}${burst}. 0: no limit.`;
}

/**
 * connectStep is step 2: the name, the URL, the credentials. An
 * integration whose URL is a credential (a Slack webhook URL, which holds
 * a token) takes it among the credentials, as a secret: it offers no URL
 * override.
 */
function connectStep(ctx, integration, plain, c) {
  const urlCredential = Boolean(integration.url_credential);
  return h("section", { class: "card step", "aria-labelledby": "step-connect" },
    stepHead(2, plain ? "Where should events go?" : `Connect ${integration.name}`, connectText(integration, plain), "step-connect"),
    h("div", { class: "grid-2" }, field("Endpoint name", c.name), plain ? field("Endpoint URL", c.url) : null),
    c.credentials.element,
    addToSlack(ctx.app, integration, c.credentials),
    c.verify,
    integration.docs ? h("p", { class: "muted small", "data-docs": "" }, "Step by step, with the usual errors and their fixes: ", h("code", null, integration.docs), " in the hookbridge documentation.") : null,
    plain ? null : h("details", { class: "disclosure" }, h("summary", null, urlCredential ? "Advanced: headers, rate limit" : "Advanced: URL, headers, rate limit"),
      urlCredential ? null : field("URL override (optional)", c.url, { help: `The handler's starting webhook.url. Leave empty for ${integration.default_url || "the integration's default"}; the region credential picks the host.` }),
      advancedFields(integration, c)));
}

// connectText says what step 2 asks for: a URL, a webhook URL made in the
// tool (a secret), or the tool's credentials.
function connectText(integration, plain) {
  if (plain) return "Your endpoint receives each event as JSON, signed with a secret that hookbridge generates.";
  const asked = (integration.credentials || []).filter((f) => !f.hidden);
  if (integration.url_credential && asked.length === 1) {
    return `Paste the webhook URL you made in ${integration.name}. It holds a token: it is stored encrypted, masked wherever requests are shown, and never shown again.`;
  }
  return `Enter the credentials from your ${integration.name} account. They are stored encrypted and never shown again.`;
}

/**
 * transformationStep is step 3: the template picker and the editor,
 * preloaded with the first template. It also makes the event picker
 * (a template chooses event types) and the test panel (which runs the
 * editor's code).
 */
function transformationStep(ctx, integration, plain, first, c, { draft: saved, onChange }) {
  const fromDraft = saved && (integration.templates || []).find((t) => t.id === saved.template);
  let template = saved ? fromDraft : first;
  let templateCode = template ? template.code : defaultHandler;
  const code = saved && typeof saved.code === "string" ? saved.code : templateCode;
  const editor = codeEditor(code, { label: `${integration.name} transformation code`, onChange });
  const enabled = h("input", { type: "checkbox", name: "transformation_enabled", checked: saved && typeof saved.transformation_enabled === "boolean" ? saved.transformation_enabled : !plain });
  const editorBox = h("div", { hidden: !enabled.checked });
  enabled.addEventListener("change", () => { editorBox.hidden = !enabled.checked; });
  c.events = eventTypePicker(ctx.catalog, first ? first.event_types || [] : []);

  const draft = () => ({
    code: plain && !enabled.checked ? "" : editor.getCode(),
    credentials: c.credentials.values(),
    url: integration.url_credential ? "" : c.url.value.trim(),
    headers: c.headers.value(),
  });
  const test = testPanel({ app: ctx.app, catalog: ctx.catalog, integration, draft, editor, eventType: first && first.event_types ? first.event_types[0] : undefined });
  const picker = templatePicker(integration, {
    selected: template && template.id,
    onPick(t) {
      if (editor.getCode() !== templateCode && !window.confirm(`Replace your edited code with the template "${t.name}"?`)) return;
      template = t;
      templateCode = t.code;
      editor.setCode(t.code);
      editor.clearErrors();
      c.events.set(t.event_types || []);
      if (t.event_types && t.event_types.length > 0) test.setEventType(t.event_types[0]);
      onChange();
    },
  });
  editorBox.append(picker, editor.element);

  const element = h("section", { class: "card step", "aria-labelledby": "step-transform" },
    stepHead(3, "Transformation", plain
      ? "Optionally reshape events before they are sent: change webhook.payload, webhook.url or webhook.headers."
      : `A JavaScript handler turns each payment event into a ${integration.name} API request. Start from a template and edit it.`, "step-transform"),
    plain ? h("label", { class: "check field" }, enabled, h("span", null, "Transform events before sending")) : null,
    editorBox);
  return { element, editor, test, draft, template: () => (template ? template.id : ""), enabled: () => enabled.checked };
}

/** createBody is the endpoint to create, from the form. */
function createBody(integration, c, draft) {
  const body = {
    name: c.name.value.trim(),
    integration: integration.id,
    credentials: draft.credentials,
    event_types: c.events.value(),
    headers: draft.headers,
  };
  // An empty rate limit leaves the integration's default to the server.
  if (c.rateLimit.value.trim() !== "") body.rate_limit = Number(c.rateLimit.value) || 0;
  if (draft.url && !integration.url_credential) body.url = draft.url;
  if (draft.code) body.transformation = { code: draft.code, enabled: true };
  return body;
}

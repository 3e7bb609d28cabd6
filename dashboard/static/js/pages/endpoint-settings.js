// An endpoint's Settings tab: everything editable (credentials
// write-only), the test panel, signing secret rotation, deletion.

import { replayCard } from "../replay.js";
import { isRejectedSave, rejectedSaveNotice } from "../save-check.js";
import { h, replace } from "../dom.js";
import { isPlainWebhook } from "../catalog.js";
import { codeEditor } from "../editor.js";
import { credentialsForm, defaultHandler, eventTypePicker, headersField, templatePicker } from "../endpoint-parts.js";
import { addToSlack } from "../slack-connect.js";
import { verifyButton } from "../verify.js";
import { testPanel } from "../test-panel.js";
import { errorNotice, field, focusFirstInvalid, formError, secretOnce, showFieldErrors, toast } from "../ui.js";

/** settingsTab is the tab's content; onSaved gets the updated endpoint. */
export function settingsTab(ctx, ep, integration, onSaved) {
  const c = settingsControls(ctx, ep, integration);
  const error = h("div", { "aria-live": "assertive" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "save-endpoint" }, "Save changes");
  const form = h("form", { class: "stack", novalidate: true },
    ...settingsSections(integration, c),
    h("div", { class: "actions-bar" }, save, h("div", { class: "spacer" }, error)));
  form.addEventListener("change", () => c.test.refreshHosts());

  const submit = async (force) => {
    replace(error);
    save.disabled = true;
    try {
      const body = updateBody(c);
      onSaved(await ctx.app.updateEndpoint(ep.id, force ? { ...body, force: true } : body));
      toast("Changes saved");
      ctx.navigate(`${ctx.link("endpoints", ep.id)}?tab=settings`, { replace: true });
    } catch (err) {
      if (isRejectedSave(err)) {
        const notice = rejectedSaveNotice(err, "Save", () => submit(true));
        replace(error, notice);
        notice.scrollIntoView({ block: "center" });
        notice.querySelector("[data-action=save-anyway]").focus({ preventScroll: true });
        return;
      }
      const codeError = (err.fields || []).find((f) => f.field === "transformation.code" && f.line);
      if (codeError) c.editor.markError(codeError.line, 0, codeError.message);
      const rest = showFieldErrors(form, err.fields);
      replace(error, formError(err, rest, "Not saved"));
      focusFirstInvalid(form, (el) => (el === c.editor.host ? c.editor.focus() : el.focus({ preventScroll: true })));
    } finally {
      save.disabled = false;
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(false);
  });

  return h("div", { class: "stack" }, form, signingSecretCard(ctx, ep, integration), dangerCard(ctx, ep));
}

/** settingsControls makes the form's inputs, filled from the endpoint. */
function settingsControls(ctx, ep, integration) {
  const plain = isPlainWebhook(integration);
  const c = {
    app: ctx.app,
    plain,
    name: h("input", { type: "text", name: "name", value: ep.name, "data-field": "name" }),
    url: h("input", { type: "url", name: "url", value: ep.url || "", "data-field": "url", spellcheck: false, placeholder: integration.default_url || "https://example.com/webhooks" }),
    credentials: credentialsForm(integration, ep.credentials || {}),
    enabled: h("input", { type: "checkbox", name: "transformation_enabled", checked: ep.transformation.enabled }),
    editor: codeEditor(ep.transformation.code || (plain ? defaultHandler : ""), { label: `${integration.name} transformation code` }),
    events: eventTypePicker(ctx.catalog, ep.event_types),
    headers: headersField(ep.headers || {}),
    rateLimit: h("input", { type: "number", name: "rate_limit", min: 0, step: 1, value: String(ep.rate_limit || 0), "data-field": "rate_limit" }),
    // The limit counts over the endpoint's period (an integration's default
    // may set one, as Discord's 5 per 2s); saving keeps the period.
    ratePeriod: !ep.rate_limit_period || ep.rate_limit_period === "1s" || ep.rate_limit_period === "0s" ? "second" : ep.rate_limit_period,
  };
  c.editorBox = h("div", { hidden: plain && !ep.transformation.enabled }, c.editor.element);
  c.enabled.addEventListener("change", () => { c.editorBox.hidden = plain && !c.enabled.checked; });

  let templateCode = ep.transformation.code;
  c.picker = templatePicker(integration, {
    selected: null,
    onPick(t) {
      if (c.editor.getCode() !== templateCode && !window.confirm(`Replace your edited code with the template "${t.name}"?`)) return;
      templateCode = t.code;
      c.editor.setCode(t.code);
      c.events.set(t.event_types || []);
      c.enabled.checked = true;
      c.editorBox.hidden = false;
    },
  });
  const draft = () => ({ code: c.editor.getCode(), credentials: c.credentials.values(), url: integration.url_credential ? "" : c.url.value.trim(), headers: c.headers.value() });
  c.test = testPanel({ app: ctx.app, catalog: ctx.catalog, integration, draft, editor: c.editor, eventType: ep.event_types[0], endpointID: ep.id });
  c.verify = plain ? null : verifyButton({ app: ctx.app, integration, form: c.credentials.element, endpointID: ep.id });
  c.replay = replayCard({ api: ctx.app, endpointID: ep.id, getCode: () => c.editor.getCode() });
  return c;
}

function settingsSections(integration, c) {
  const section = (id, title, ...children) =>
    h("section", { class: "card", "aria-labelledby": id }, h("h2", { id, class: "field" }, title), ...children);
  return [
    section("settings-general", "General",
      h("div", { class: "grid-2" }, field("Endpoint name", c.name),
        integration.url_credential ? null : field(c.plain ? "Endpoint URL" : "URL override (optional)", c.url))),
    section("settings-credentials", "Credentials",
      h("p", { class: "muted small field" }, "Write-only: stored values are masked and kept unless you type a new one."),
      c.credentials.element,
      addToSlack(c.app, integration, c.credentials),
      c.verify),
    section("settings-transform", "Transformation",
      h("label", { class: "check field" }, c.enabled, h("span", null, "Run the transformation on every event")),
      (integration.templates || []).length > 0 ? h("details", { class: "disclosure field" }, h("summary", null, "Replace with a template"), c.picker) : null,
      c.editorBox),
    section("settings-events", "Events", c.events.element),
    section("settings-test", "Test", c.test.element),
    section("settings-replay", "Try on real events", c.replay),
    section("settings-advanced", "Advanced", c.headers.element, field(`Rate limit (requests per ${c.ratePeriod})`, c.rateLimit, { help: "0: no limit." })),
  ];
}

/** updateBody is the PATCH body: every field, and only the credentials typed in. */
function updateBody(c) {
  const body = {
    name: c.name.value.trim(),
    url: c.url.value.trim(),
    event_types: c.events.value(),
    headers: c.headers.value(),
    rate_limit: Number(c.rateLimit.value) || 0,
    transformation: { code: c.editor.getCode(), enabled: c.enabled.checked },
  };
  const creds = c.credentials.values();
  if (Object.keys(creds).length > 0) body.credentials = creds;
  return body;
}

/** signingSecretCard rotates a generated signing secret (plain webhooks). */
function signingSecretCard(ctx, ep, integration) {
  const fields = (integration.credentials || []).filter((f) => f.secret && !f.hidden && /secret/.test(f.name));
  if (!isPlainWebhook(integration) || fields.length === 0) return null;
  const f = fields[0];
  const out = h("div", { "aria-live": "polite" });
  const rotate = h("button", { type: "button", class: "btn", "data-action": "rotate-secret" }, `Rotate ${f.label.toLowerCase()}`);
  rotate.addEventListener("click", async () => {
    if (!window.confirm(`Make a new ${f.label.toLowerCase()}? For 24 hours requests are signed with both the new and the current one, so your endpoint can switch over without missing an event.`)) return;
    try {
      const rotated = await ctx.app.rotateEndpointSecret(ep.id);
      const secret = (rotated.generated_secrets || {})[f.name];
      replace(out, secretOnce(f.label, secret,
        "Requests carry a signature made with it from now on, and one made with the previous secret for 24 hours."));
    } catch (err) {
      replace(out, errorNotice(err));
    }
  });
  const creds = ep.credentials || {};
  const current = creds[f.name];
  const previousUntil = creds[`previous_${f.name}_expires_at`];
  const graceNote = previousUntil && new Date(previousUntil) > new Date()
    ? h("p", { class: "muted small field", "data-previous-secret": "" },
      "Requests also carry a signature made with the previous secret until ", h("time", { datetime: previousUntil }, new Date(previousUntil).toLocaleString()), ".")
    : null;
  return h("section", { class: "card", "aria-labelledby": "secret-title" },
    h("h2", { id: "secret-title", class: "field" }, f.label),
    h("p", { class: "muted small field" }, "Requests to this endpoint carry Standard Webhooks signatures made with this secret. ",
      current ? ["Current: ", h("code", null, current), "."] : null),
    graceNote, out, rotate);
}

function dangerCard(ctx, ep) {
  const del = h("button", { type: "button", class: "btn btn-danger", "data-action": "delete-endpoint" }, "Delete endpoint");
  del.addEventListener("click", async () => {
    if (!window.confirm(`Delete "${ep.name}"? Its settings and credentials are removed. This cannot be undone.`)) return;
    try {
      await ctx.app.deleteEndpoint(ep.id);
      toast("Endpoint deleted");
      ctx.navigate(ctx.link("endpoints"));
    } catch (err) {
      toast(err.message, { bad: true });
    }
  });
  return h("section", { class: "card", "aria-labelledby": "danger-title" },
    h("h2", { id: "danger-title", class: "field" }, "Delete"),
    h("p", { class: "muted small field" }, "Disable the endpoint instead if you may need it again: deletion removes its settings and credentials."),
    del);
}


// The "Verify" button beside an integration's credential fields: it asks
// the API to check the credentials as the form holds them with one
// harmless call to the tool (POST …/integrations/{id}/verify), before
// Create or Save, and shows what came back: valid, wrong key, wrong
// region (with a one-click switch of the region field) or cannot be
// checked, and why. On an endpoint's settings the saved secrets stand in
// for the secret fields left empty (endpoint_id).

import { h } from "./dom.js";

const LABELS = {
  valid: ["badge badge-ok", "Valid"],
  wrong_key: ["badge badge-bad", "Wrong key"],
  wrong_region: ["badge badge-warn", "Wrong region"],
  cannot_check: ["badge", "Cannot be checked"],
};

/**
 * verifyButton returns the button and its result line for a credentials
 * form element (credentialsForm().element) of integration. app is the
 * AppClient; endpointID, if set, is the saved endpoint being edited.
 */
export function verifyButton({ app, integration, form, endpointID }) {
  const result = h("div", { class: "verify-result small", role: "status", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "btn btn-small", "data-action": "verify-credentials" }, "Verify credentials");
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.replaceChildren(h("span", { class: "muted" }, `Checking with ${integration.name}…`));
    try {
      const body = { credentials: formCredentials(form) };
      if (endpointID) body.endpoint_id = endpointID;
      const v = await app.c.post(app.path("integrations", integration.id, "verify"), body);
      result.replaceChildren(...describe(v, form, integration));
    } catch (err) {
      result.replaceChildren(h("span", { class: "badge badge-bad" }, "Not checked"), " ", fieldMessages(err));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "verify field" }, button, result);
}

/** formCredentials reads every credential input of the form, secrets included (they go to the API only). */
function formCredentials(form) {
  const out = {};
  for (const control of form.querySelectorAll("[data-field^='credentials.']")) {
    const v = control.value.trim();
    if (v !== "") out[control.dataset.field.slice("credentials.".length)] = v;
  }
  return out;
}

/** describe renders a verification: the badge, the message, the fix, and the region switch. */
function describe(v, form, integration) {
  const [cls, label] = LABELS[v.result] || ["badge", v.result];
  const parts = [h("span", { class: cls, "data-result": v.result }, label), " ", h("span", null, v.message)];
  if (v.fix) parts.push(h("div", { class: "muted" }, `Fix: ${v.fix}`));
  if (v.call) parts.push(h("div", { class: "muted" }, h("code", null, v.call), v.status ? ` → ${v.status}` : ""));
  if (v.result === "wrong_region" && v.switch) parts.push(switchAction(v.switch, form, integration));
  return parts;
}

/** switchAction offers to set the fields the tool names ({"region": "eu"}) in one click. */
function switchAction(change, form, integration) {
  const names = Object.entries(change).map(([k, val]) => `${k} to ${val.toUpperCase()}`).join(", ");
  const button = h("button", { type: "button", class: "btn btn-small", "data-action": "switch-region" }, `Switch ${names}`);
  button.addEventListener("click", () => {
    for (const [name, value] of Object.entries(change)) {
      const control = form.querySelector(`[data-field='credentials.${name}']`);
      if (control) {
        control.value = value;
        control.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    button.replaceWith(h("span", { class: "muted" }, ` Set. ${integration.name} requests will go to the ${names.replace(/^.* to /, "")} region once saved.`));
  });
  return h("div", null, button);
}

function fieldMessages(err) {
  if (err.fields && err.fields.length > 0) return err.fields.map((f) => `${f.field}: ${f.message}`).join("; ");
  return err.message;
}

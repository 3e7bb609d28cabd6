// Small shared pieces of the interface: notices, copy buttons, secrets
// shown once, form error display.

import { h, uid } from "./dom.js";

/** toast shows a short message in a live region for a few seconds. */
export function toast(message, { bad = false } = {}) {
  let region = document.getElementById("toasts");
  if (!region) {
    region = h("div", { id: "toasts", class: "toast-region", role: "status", "aria-live": "polite" });
    document.body.append(region);
  }
  const el = h("div", { class: bad ? "toast toast-bad" : "toast" }, message);
  region.append(el);
  setTimeout(() => el.remove(), bad ? 8000 : 4000);
}

/** copyText puts text on the clipboard, falling back to a selected field where the Clipboard API is unavailable (plain HTTP). */
export async function copyText(text, fallbackInput) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackInput) return false;
    fallbackInput.focus();
    fallbackInput.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

/** copyField is a read-only input with a Copy button. */
export function copyField(label, value, { secret = false, name } = {}) {
  const id = uid("copy");
  const input = h("input", { id, type: "text", value, readOnly: true, spellcheck: false, class: "mono", name, autocomplete: "off" });
  if (secret) input.setAttribute("data-secret", "");
  const button = h("button", {
    type: "button", class: "btn btn-small",
    onclick: async () => {
      const ok = await copyText(value, input);
      toast(ok ? `${label} copied` : "Select the text and copy it with your keyboard", { bad: !ok });
    },
  }, "Copy");
  button.setAttribute("aria-label", `Copy ${label}`);
  return h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "input-group" }, input, button));
}

/** secretOnce shows a secret that the server will not show again. */
export function secretOnce(label, value, what) {
  return h("div", { class: "secret-box", role: "alert" },
    h("p", null, h("strong", null, `Copy the ${label.toLowerCase()} now: `), `it will not be shown again. ${what || ""}`),
    copyField(label, value, { secret: true }));
}

/** errorNotice shows an API error, with its field errors listed. */
export function errorNotice(err) {
  const fields = (err && err.fields) || [];
  return h("div", { class: "notice notice-bad", role: "alert" },
    h("strong", null, (err && err.message) || String(err)),
    fields.length > 0 && h("ul", null, fields.map((f) => h("li", null, h("code", null, f.field), ": ", f.message, f.line ? ` (line ${f.line})` : ""))));
}

/** loading is a placeholder while something loads. */
export function loading(text = "Loading…") {
  return h("p", { class: "loading", role: "status" }, text);
}

/** field wraps a control with its label, help and error slot. */
export function field(label, control, { help, id } = {}) {
  const controlID = id || control.id || uid("f");
  control.id = controlID;
  const helpEl = help ? h("p", { class: "help", id: `${controlID}-help` }, help) : null;
  if (helpEl) control.setAttribute("aria-describedby", helpEl.id);
  return h("div", { class: "field" }, h("label", { for: controlID }, label), control, helpEl,
    h("p", { class: "error", id: `${controlID}-error`, hidden: true }));
}

/**
 * showFieldErrors puts each of the server's field errors at its control
 * (the element whose data-field is the error's field path, such as
 * credentials.site_id), said with the control's label in words, and
 * returns the errors no control took.
 */
export function showFieldErrors(form, fields) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field .error")) { el.hidden = true; el.textContent = ""; }
  const rest = [];
  for (const f of fields || []) {
    const control = form.querySelector(`[data-field="${CSS.escape(f.field)}"]`);
    const slot = control && document.getElementById(`${control.id}-error`);
    if (!slot) { rest.push(f); continue; }
    const message = inWords(labelOf(control), f.message) + (f.line ? ` (line ${f.line})` : "");
    control.setAttribute("aria-invalid", "true");
    describedBy(control, slot.id);
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    clearOnEdit(control, slot);
  }
  return rest;
}

// clearOnEdit takes a field's error away once the person edits the field.
function clearOnEdit(control, slot) {
  const clear = () => {
    control.removeAttribute("aria-invalid");
    slot.hidden = true;
    slot.textContent = "";
  };
  control.addEventListener(control.tagName === "SELECT" ? "change" : "input", clear, { once: true });
}

/** focusFirstInvalid scrolls to the first control showFieldErrors marked, opening what folds it, and focuses it; it returns the control, or null. */
export function focusFirstInvalid(form, focus = (el) => el.focus({ preventScroll: true })) {
  const control = form.querySelector("[aria-invalid=true]");
  if (!control) return null;
  for (let d = control.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  control.scrollIntoView({ block: "center" });
  focus(control);
  return control;
}

/** formError is what a failed save says beside its button: the errors no field took, or where to look. */
export function formError(err, rest, what = "Not created") {
  if ((err.fields || []).length === 0) return errorNotice(err);
  if (rest.length === 0) {
    const n = err.fields.length;
    return h("p", { class: "form-error", "data-form-error": "" }, n === 1 ? `${what}: fix the marked field above.` : `${what}: fix the ${n} marked fields above.`);
  }
  return h("div", { class: "notice notice-bad", role: "alert", "data-form-error": "" },
    h("strong", null, `${what}:`),
    h("ul", null, rest.map((f) => h("li", null, inWords(fieldWords(f.field), f.message), f.line ? ` (line ${f.line})` : ""))));
}

// labelOf returns the words of a control's label, without "(optional)".
function labelOf(control) {
  const label = control.id && document.querySelector(`label[for="${CSS.escape(control.id)}"]`);
  const text = label ? label.textContent : control.getAttribute("aria-label") || fieldWords(control.dataset.field || "");
  return text.replace(/\s*\(optional\)\s*$/, "").trim();
}

// fieldWords turns a field path into words: credentials.site_id → site id.
function fieldWords(path) {
  return path.split(".").pop().replace(/_/g, " ");
}

// inWords makes a message name its field: "must be one of us, eu" becomes
// "Region must be one of us, eu"; a message that names it already stays.
function inWords(label, message) {
  if (!label || message.toLowerCase().startsWith(label.toLowerCase())) return message;
  return /^[a-z]/.test(message) ? `${label} ${message}` : `${label}: ${message}`;
}

function describedBy(control, id) {
  const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!ids.includes(id)) control.setAttribute("aria-describedby", [...ids, id].join(" "));
}

// The transformation editor. It starts as a plain textarea, so the page is
// usable at once and without the bundle, and becomes CodeMirror (syntax
// highlighting, line numbers, error markers) as soon as the bundle loads.

import { h, uid } from "./dom.js";

let bundle = null;
function loadBundle() {
  bundle ??= import("../editor.bundle.js");
  return bundle;
}

// connected resolves once el is in the document: CodeMirror measures its
// lines when it starts, which it cannot do in a detached element.
function connected(el) {
  return new Promise((resolve) => {
    const check = () => (el.isConnected ? resolve() : requestAnimationFrame(check));
    check();
  });
}

/**
 * codeEditor makes an editor holding code.
 * element holds the editor and its error line; host (the editor itself)
 * carries data-field="transformation.code", so that showFieldErrors puts
 * the code's error under it.
 * @returns {{element: HTMLElement, host: HTMLElement, getCode(): string, setCode(c: string): void,
 *   markError(line: number, column: number, message: string): void, clearErrors(): void, focus(): void, ready: Promise<void>}}
 */
export function codeEditor(code, { label = "Transformation code", onChange } = {}) {
  const textarea = h("textarea", { rows: 18, spellcheck: false, "aria-label": label, value: code, "data-editor": "fallback" });
  textarea.addEventListener("input", () => onChange && onChange(textarea.value));
  const host = h("div", { class: "editor-host", "data-editor-host": "", id: uid("code"), "data-field": "transformation.code", "aria-label": label }, textarea);
  // The error slot is beside the host: a shadow root hides the host's own children.
  const element = h("div", { class: "field" }, host, h("p", { class: "error", id: `${host.id}-error`, hidden: true }));
  let cm = null;

  const api = {
    element,
    getCode: () => (cm ? cm.getCode() : textarea.value),
    setCode(c) {
      if (cm) cm.setCode(c);
      else textarea.value = c;
    },
    markError(line, column, message) {
      if (cm) cm.markError(line, column, message);
      host.dataset.errorLine = String(line || "");
    },
    clearErrors() {
      if (cm) cm.clearErrors();
      delete host.dataset.errorLine;
    },
    focus() {
      if (cm) cm.focus();
      else textarea.focus();
    },
    host,
    ready: Promise.all([loadBundle(), connected(host)]).then(([mod]) => {
      const current = textarea.value;
      textarea.remove();
      cm = mod.createEditor(host, { doc: current, label, onChange });
      host.dataset.editor = "codemirror";
    }).catch(() => {
      // Stay a textarea: everything still works without highlighting.
    }),
  };
  return api;
}

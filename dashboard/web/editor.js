// The dashboard's code editor: CodeMirror 6 with JavaScript highlighting,
// line numbers and lint markers. build.sh bundles this file (and the parts
// of CodeMirror it uses) into ../static/editor.bundle.js; the dashboard
// loads that bundle only on the pages that edit a transformation.
//
// The bundle exports one function, createEditor, so the rest of the
// dashboard never touches CodeMirror's API directly.

import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

const theme = EditorView.theme({
  "&": {
    fontSize: "13px",
    border: "1px solid var(--border, #d0d5dd)",
    borderRadius: "8px",
    backgroundColor: "var(--surface, #fff)",
  },
  "&.cm-focused": {
    outline: "2px solid var(--focus, #2f6fed)",
    outlineOffset: "1px",
  },
  ".cm-scroller": {
    fontFamily: "var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace)",
    lineHeight: "1.55",
    minHeight: "16rem",
    maxHeight: "32rem",
  },
  ".cm-gutters": {
    backgroundColor: "var(--surface-muted, #f6f7f9)",
    color: "var(--text-muted, #5b6472)",
    borderRight: "1px solid var(--border, #d0d5dd)",
    borderRadius: "8px 0 0 8px",
  },
});

/**
 * createEditor mounts an editor in a shadow root of host.
 *
 * CodeMirror injects its styles at run time. In a document it would add a
 * <style> element, which the dashboard's Content-Security-Policy (style-src
 * 'self', no inline styles) refuses; in a shadow root it uses a
 * constructed stylesheet, which the policy allows. CSS custom properties
 * (the dashboard's colours) still reach inside.
 *
 * @param {HTMLElement} host the element that holds the editor
 * @param {{doc?: string, label?: string, onChange?: (code: string) => void}} options
 * @returns {{getCode(): string, setCode(code: string): void,
 *   markError(line: number, column: number, message: string): void,
 *   clearErrors(): void, focus(): void, destroy(): void}}
 */
export function createEditor(host, options = {}) {
  const { doc = "", label = "Transformation code", onChange } = options;
  const root = host.shadowRoot || host.attachShadow({ mode: "open" });
  const parent = document.createElement("div");
  root.append(parent);
  const view = new EditorView({
    root,
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        javascript(),
        lintGutter(),
        theme,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
      view.dispatch(setDiagnostics(view.state, []));
    },
    markError(line, column, message) {
      const diagnostic = diagnosticAt(view.state.doc, line, column, message);
      view.dispatch(setDiagnostics(view.state, diagnostic ? [diagnostic] : []));
    },
    clearErrors() {
      view.dispatch(setDiagnostics(view.state, []));
    },
    focus: () => view.focus(),
    destroy() {
      view.destroy();
      parent.remove();
    },
  };
}

// diagnosticAt builds a lint diagnostic covering the named line (1-based)
// from the column on, or the whole line when the column is unknown.
function diagnosticAt(doc, line, column, message) {
  if (!line || line < 1) return null;
  const target = doc.line(Math.min(line, doc.lines));
  let from = target.from;
  if (column && column > 1) from = Math.min(target.from + column - 1, target.to);
  return { from, to: target.to, severity: "error", message };
}

// Building DOM nodes without HTML strings. Text always goes in as text
// nodes, never parsed as markup, so data from the API cannot inject HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * h makes an element: h("a", {href: "/x", class: "btn", onclick: fn}, "text", child).
 * Props starting with "on" become listeners; class, for, aria-* and data-*
 * become attributes; value, checked, disabled and the like are set as properties.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

/** s makes an SVG element; its props are all attributes. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden", "multiple", "open", "required", "readOnly", "type", "id", "name", "placeholder", "autocomplete", "rows", "min", "max", "step", "tabIndex", "spellcheck"]);

function applyProps(el, props) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (PROPERTIES.has(name)) {
      el[name] = value;
    } else if (value === false) {
      continue;
    } else {
      el.setAttribute(name === "className" ? "class" : name, value === true ? "" : String(value));
    }
  }
}

/** append adds children: nodes, strings and numbers (as text), arrays; null and false are skipped. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** replace empties el and puts children in. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** svgImage shows an SVG document (an integration logo) as an image: it is never parsed into the page. */
export function svgImage(svg, alt, className = "logo") {
  if (!svg) return h("span", { class: className + " logo-placeholder", "aria-hidden": "true" });
  return h("img", { class: className, alt, src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg), width: 36, height: 36 });
}

let idCounter = 0;
/** uid returns an id unique in this page, to tie labels to inputs. */
export function uid(prefix = "f") {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

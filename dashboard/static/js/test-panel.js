// The Test panel: runs the transformation on a sample event (or a pasted
// payload) on the server, without sending, and shows exactly what would
// happen: the request, or why it is skipped, what the destination would
// reject and how to fix it, console output and run time. On request it
// sends for real and shows the answer, and how a delivery would take it.
// Beside the request's JSON, a preview shows messages and emails as their
// tool will show them (see previews.js).

import { h, replace, uid } from "./dom.js";
import { hostOf, ms, pretty } from "./format.js";
import { previewFor } from "./previews.js";
import { errorNotice } from "./ui.js";

/**
 * testPanel makes the panel.
 * @param {object} opts
 * @param {object} opts.app the AppClient
 * @param {object} opts.catalog the Catalog
 * @param {object} opts.integration the chosen integration
 * @param {() => object} opts.draft returns {code, credentials, url, headers} as they are in the form
 * @param {object} opts.editor the code editor, for error markers
 * @param {string} [opts.eventType] the event type selected at first
 */
export function testPanel({ app, catalog, integration, draft, editor, eventType, endpointID }) {
  const eventSelect = h("select", { id: uid("test-event"), name: "test_event_type", "data-test": "event-type" },
    [...catalog.categories()].map(([category, types]) =>
      h("optgroup", { label: category }, types.map((et) => h("option", { value: et.name }, et.name)))));
  eventSelect.value = eventType || catalog.eventTypes[0].name;

  const useOwn = h("input", { type: "checkbox", name: "use_own_payload" });
  const payload = h("textarea", { id: uid("payload"), rows: 12, spellcheck: false, hidden: true, "aria-label": "Event payload (JSON)" });
  let payloadEdited = false;
  payload.addEventListener("input", () => { payloadEdited = true; });
  const fillSample = () => {
    const et = catalog.eventByName.get(eventSelect.value);
    if (et && !payloadEdited) payload.value = pretty(et.sample);
  };
  eventSelect.addEventListener("change", fillSample);
  useOwn.addEventListener("change", () => {
    payload.hidden = !useOwn.checked;
    fillSample();
  });

  const result = h("div", { class: "test-result", "aria-live": "polite", "data-test-result": "" });
  const runButton = h("button", { type: "button", class: "btn btn-primary", "data-action": "run-test" }, "Run test");
  const sendButton = h("button", { type: "button", class: "btn", "data-action": "send-test" }, "Send for real");
  const hostsText = h("span", { "data-send-hosts": "" });
  // sendHosts is where Send for real would post: the host of the URL in
  // the form (or of the URL credential, for a tool whose URL is one), or
  // the hosts of the region chosen in the form.
  const sendHosts = () => {
    const d = draft();
    if (d.url) return hostOf(d.url);
    const urlCredential = integration.url_credential && (d.credentials || {})[integration.url_credential];
    if (urlCredential) return hostOf(urlCredential);
    const region = element.closest("form")?.querySelector("select[name=region]")?.value;
    return regionHosts(integration, region).join(", ");
  };
  const refreshHosts = () => { hostsText.textContent = sendHosts() || "your URL"; };

  async function run(send) {
    let body;
    try {
      body = requestBody(send);
    } catch (err) {
      replace(result, errorNotice(err));
      return;
    }
    runButton.disabled = sendButton.disabled = true;
    replace(result, h("p", { class: "loading", role: "status" }, send ? "Sending…" : "Running…"));
    try {
      const res = await app.test(body);
      replace(result, renderResult(res, integration, editor));
    } catch (err) {
      replace(result, errorNotice(err));
    } finally {
      runButton.disabled = sendButton.disabled = false;
    }
  }

  function requestBody(send) {
    const d = draft();
    const body = { integration: integration.id, code: d.code, event_type: eventSelect.value, send };
    if (d.credentials && Object.keys(d.credentials).length > 0) body.credentials = d.credentials;
    if (d.url) body.url = d.url;
    if (d.headers && Object.keys(d.headers).length > 0) body.headers = d.headers;
    // On a saved endpoint's settings, the secrets the form shows masked
    // come from the endpoint.
    if (endpointID) body.endpoint_id = endpointID;
    if (useOwn.checked) {
      try {
        body.payload = JSON.parse(payload.value);
      } catch (err) {
        throw new Error(`The payload is not valid JSON: ${err.message}`);
      }
    }
    return body;
  }

  runButton.addEventListener("click", () => run(false));
  sendButton.addEventListener("click", () => {
    const where = sendHosts() || "the endpoint URL";
    if (window.confirm(`Send this request for real to ${where}? It uses the credentials in the form.`)) run(true);
  });

  const element = h("div", { class: "test-panel" },
    h("div", { class: "row" },
      h("div", { class: "field spacer" }, h("label", { for: eventSelect.id }, "Sample event"), eventSelect)),
    h("label", { class: "check field" }, useOwn, h("span", null, "Paste or edit the payload instead of the sample")),
    h("div", { class: "field" }, payload),
    h("div", { class: "row" }, runButton, sendButton,
      h("span", { class: "muted small" }, "Run test never sends anything. Send for real posts to ", hostsText, ".")),
    result);
  element.addEventListener("focusin", refreshHosts);
  connectedThen(element, refreshHosts);
  return {
    element,
    refreshHosts,
    setEventType(name) {
      if (catalog.eventByName.has(name)) {
        eventSelect.value = name;
        fillSample();
      }
    },
  };
}

const HEADLINES = {
  ready: (name) => ["result-ready", `Ready: ${name} would accept this request`],
  invalid: (name) => ["result-invalid", `${name} would reject this request`],
  skipped: () => ["result-skipped", "Skipped: nothing would be sent for this event"],
  error: () => ["result-error", "The transformation failed"],
};

/** renderResult shows one test answer. */
export function renderResult(res, integration, editor) {
  const [cls, headline] = (HEADLINES[res.status] || HEADLINES.error)(integration.name);
  const banner = h("div", { class: `result-banner ${cls}`, "data-status": res.status },
    h("div", null, h("strong", null, headline), bannerDetail(res)));
  if (editor) {
    if (res.status === "error" && res.error && res.error.line) editor.markError(res.error.line, res.error.column, res.error.message);
    else editor.clearErrors();
  }
  return h("div", { class: "stack" },
    banner,
    res.problems && res.problems.length > 0 ? problemList(res.problems) : null,
    ranCode(res) ? h("p", { class: "small muted timing" }, `Transformation ran in ${ms(res.duration_ms)}.`) : null,
    res.warnings && res.warnings.length > 0 ? h("div", { class: "notice" }, h("strong", null, "Note: "), res.warnings.join("; ")) : null,
    res.request ? requestWithPreview(res.request, integration) : null,
    consoleView(res.console),
    res.response ? responseView(res.response) : null);
}

// ranCode tells whether the transformation ran: code that does not
// compile never ran, so it has no run time to show.
function ranCode(res) {
  return !(res.status === "error" && res.error && res.error.kind === "syntax");
}

/**
 * regionHosts returns the API hosts of an integration for a region: the
 * hosts whose name has the region as a part ("track-eu.customer.io",
 * "events.eu1.segmentapis.com" for eu), else the hosts that name no other
 * region (the default region's). Without a region choice, all hosts.
 */
export function regionHosts(integration, region) {
  const hosts = integration.hosts || [];
  const regionField = (integration.credentials || []).find((f) => f.name === "region" && f.choices && f.choices.length > 0);
  if (!regionField) return hosts;
  const chosen = (region || regionField.default || regionField.choices[0]).toLowerCase();
  const names = (host, r) => host.toLowerCase().split(/[.-]/).some((part) => part === r || (part.startsWith(r) && /^\d+$/.test(part.slice(r.length))));
  const own = hosts.filter((host) => names(host, chosen));
  if (own.length > 0) return own;
  const others = regionField.choices.map((c) => c.toLowerCase()).filter((c) => c !== chosen);
  return hosts.filter((host) => !others.some((o) => names(host, o)));
}

// connectedThen calls fn once el is in the document.
function connectedThen(el, fn) {
  const check = () => (el.isConnected ? fn() : requestAnimationFrame(check));
  requestAnimationFrame(check);
}

function bannerDetail(res) {
  if (res.status === "skipped") return h("p", { "data-skip-reason": "" }, res.skip_reason);
  if (res.status === "error" && res.error) {
    const where = res.error.line ? ` at line ${res.error.line}${res.error.column ? `, column ${res.error.column}` : ""}` : "";
    return h("p", null, `${res.error.kind} error${where}: ${res.error.message}`);
  }
  return null;
}

function problemList(problems) {
  return h("ul", { class: "problems", "aria-label": "Problems" }, problems.map((p) =>
    h("li", { class: "problem", "data-field": p.field },
      h("div", null, h("code", null, p.field), " — ", p.message),
      p.fix ? h("p", { class: "fix" }, h("strong", null, "Fix: "), p.fix) : null)));
}

/**
 * requestWithPreview shows a request, with a preview of the message beside
 * it when the integration has one for this body.
 */
export function requestWithPreview(req, integration) {
  const view = requestView(req);
  let body = req.body_json;
  if (body === undefined && req.body) {
    try {
      body = JSON.parse(req.body);
    } catch {
      body = undefined;
    }
  }
  const preview = previewFor(integration.id, body);
  return preview ? h("div", { class: "request-and-preview" }, view, preview) : view;
}

/** requestView shows a request: method and URL, headers, pretty body. */
export function requestView(req, title = "Request") {
  const body = req.body_json !== undefined ? pretty(req.body_json) : pretty(req.body || "");
  return h("section", { "aria-label": title },
    h("h3", { class: "section-label" }, title),
    h("p", { class: "request-line", "data-request-line": "" }, h("span", { class: "method" }, req.method), req.url),
    headersView(req.headers),
    body ? h("pre", { class: "code", tabindex: "0", "data-request-body": "" }, body) : h("p", { class: "muted small" }, "No body."));
}

export function headersView(headers) {
  const entries = Object.entries(headers || {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return h("dl", { class: "kv" }, entries.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

function consoleView(lines) {
  if (!lines || lines.length === 0) return null;
  return h("section", { "aria-label": "Console output" },
    h("h3", { class: "section-label" }, "Console output"),
    h("pre", { class: "code console", tabindex: "0" }, lines.join("\n")));
}

function responseView(resp) {
  const ok = resp.status >= 200 && resp.status < 300;
  return h("section", { "aria-label": "Response", "data-response": "" },
    h("h3", { class: "section-label" }, "Response"),
    h("p", { class: "row" },
      resp.status ? h("span", { class: `badge ${ok ? "badge-ok" : "badge-bad"}` }, `HTTP ${resp.status}`) : h("span", { class: "badge badge-bad" }, "No response"),
      h("span", { class: "small muted timing" }, `in ${ms(resp.duration_ms)}`)),
    resp.error ? h("p", { class: "form-error" }, resp.error) : null,
    resp.judgement ? judgementView(resp.judgement) : null,
    headersView(resp.headers),
    resp.body ? h("pre", { class: "code", tabindex: "0" }, pretty(resp.body)) : null);
}

const OUTCOMES = {
  accepted: "Accepted: a delivery would count this answer as a success.",
  retried: "Retried: a delivery would try again later.",
  failed: "Failed: a delivery would stop here, without retrying.",
};

/** judgementView says how a delivery would take the answer: accepted, retried or failed, and why. */
function judgementView(j) {
  const known = Object.hasOwn(OUTCOMES, j.outcome);
  return h("div", { class: `judgement ${known ? `judgement-${j.outcome}` : ""}`, "data-judgement": j.outcome, role: "status" },
    h("strong", null, known ? OUTCOMES[j.outcome] : `A delivery would take this answer as: ${j.outcome}`),
    j.reason ? h("p", { "data-judgement-reason": "" }, j.reason) : null);
}

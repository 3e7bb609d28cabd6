// The history of an endpoint's transformation: every saved version with
// who saved it and when, a line diff between any two, and restoring one
// (a new version, through the same save check as saving the code).

import { h, replace } from "./dom.js";
import { when } from "./format.js";
import { errorNotice, loading, toast } from "./ui.js";

/**
 * historyTab shows the versions of ep's transformation. onSaved receives
 * the endpoint as a restore saved it.
 */
export function historyTab(ctx, ep, onSaved) {
  const api = ctx.app;
  const base = api.path("endpoints", ep.id, "transformation");
  const rows = h("tbody");
  const listBox = h("div", { "aria-live": "polite" }, loading());
  const notice = h("div", { "aria-live": "polite" });
  const fromSelect = h("select", { id: "diff-from", name: "from" });
  const toSelect = h("select", { id: "diff-to", name: "to" });
  const diffBox = h("div", { class: "stack", "aria-live": "polite" });
  let versions = [];

  async function load() {
    try {
      versions = (await api.c.get(`${base}/versions`)).data;
    } catch (err) {
      replace(listBox, errorNotice(err));
      return;
    }
    replace(rows, versions.map((v) => versionRow(v, { onDiff: () => compare(v.number - 1, v.number), onRestore: () => restore(v) })));
    replace(listBox, h("table", { class: "versions" },
      h("thead", null, h("tr", null, ["Version", "Saved", "By", "Code", ""].map((t) => h("th", { scope: "col" }, t)))),
      rows));
    const options = (selected) => versions.map((v) => h("option", { value: String(v.number), selected: v.number === selected }, `Version ${v.number}${v.live ? " (live)" : ""}`));
    const live = versions.length > 0 ? versions[0].number : 0;
    replace(toSelect, options(live));
    replace(fromSelect, options(live - 1));
  }

  async function compare(from, to) {
    fromSelect.value = String(from);
    toSelect.value = String(to);
    replace(diffBox, loading("Comparing…"));
    try {
      const d = await api.c.get(`${base}/diff`, from > 0 ? { from, to } : { to });
      replace(diffBox, diffSummary(d), d.diff ? diffView(d.diff) : h("p", { class: "muted" }, "The code is the same."));
    } catch (err) {
      replace(diffBox, errorNotice(err));
    }
  }

  async function restore(v, force = false) {
    if (!force && !window.confirm(`Restore version ${v.number}? Its code becomes the live transformation, as a new version; the next deliveries run it.`)) return;
    replace(notice);
    try {
      const saved = await api.c.post(`${base}/versions/${v.number}/restore`, force ? { force: true } : {});
      onSaved(saved);
      toast(`Version ${v.number} restored as version ${saved.transformation.version}`);
      await load();
    } catch (err) {
      if (err.code !== "transformation_rejected") {
        replace(notice, errorNotice(err));
        return;
      }
      replace(notice, h("div", { class: "notice notice-bad", role: "alert" },
        h("p", null, h("strong", null, `Version ${v.number} was not restored. `), err.message),
        h("button", { type: "button", class: "btn btn-danger", "data-action": "restore-anyway", onclick: () => restore(v, true) }, "Restore anyway")));
    }
  }

  const compareForm = h("form", { class: "row" },
    h("div", { class: "field" }, h("label", { for: "diff-from" }, "From"), fromSelect),
    h("div", { class: "field" }, h("label", { for: "diff-to" }, "To"), toSelect),
    h("button", { type: "submit", class: "btn", "data-action": "compare" }, "Compare"));
  compareForm.addEventListener("submit", (e) => {
    e.preventDefault();
    compare(Number(fromSelect.value), Number(toSelect.value));
  });

  load();
  return h("div", { class: "stack" },
    h("section", { class: "card", "aria-labelledby": "versions-title" },
      h("div", { class: "card-head" }, h("div", null, h("h2", { id: "versions-title" }, "Transformation history"),
        h("p", null, "Every save of the code, its on/off switch or its template is a version. Each attempt names the version that made its request."))),
      notice, listBox),
    h("section", { class: "card", "aria-labelledby": "diff-title" },
      h("div", { class: "card-head" }, h("h2", { id: "diff-title" }, "Compare versions")),
      compareForm, diffBox));
}

function versionRow(v, { onDiff, onRestore }) {
  const notes = [
    v.live ? h("span", { class: "badge badge-ok" }, "Live") : null,
    v.enabled ? null : h("span", { class: "badge badge-warn" }, "Off"),
    v.restored_from ? h("span", { class: "muted small" }, ` restored from ${v.restored_from}`) : null,
    v.template ? h("span", { class: "muted small" }, ` from template ${v.template}`) : null,
  ];
  return h("tr", { "data-version": String(v.number) },
    h("td", null, h("strong", null, String(v.number)), " ", notes),
    h("td", null, when(v.created_at)),
    h("td", null, v.saved_by || h("span", { class: "muted" }, "unknown")),
    h("td", { class: "num" }, `${v.lines} line${v.lines === 1 ? "" : "s"}`),
    h("td", null, h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-small", "data-action": "diff", onclick: onDiff }, v.number === 1 ? "Show" : "Changes"),
      v.live ? null : h("button", { type: "button", class: "btn btn-small", "data-action": "restore", onclick: onRestore }, "Restore"))));
}

function diffSummary(d) {
  const from = d.from ? `version ${d.from.number}` : "nothing";
  const flags = [];
  if (d.from && d.from.enabled !== d.to.enabled) flags.push(d.to.enabled ? "switched on" : "switched off");
  if (d.from && (d.from.template || "") !== (d.to.template || "")) flags.push(`template ${d.to.template || "none"}`);
  return h("p", null, h("strong", null, `From ${from} to version ${d.to.number}: `),
    `${d.added} line${d.added === 1 ? "" : "s"} added, ${d.removed} removed`, flags.length ? `; ${flags.join(", ")}` : "", ".");
}

/** diffView shows a unified diff, its added and removed lines marked. */
function diffView(text) {
  const lines = text.replace(/\n$/, "").split("\n");
  return h("pre", { class: "code diff", "aria-label": "Changes" }, lines.map((line, i) => {
    // The first two lines name the versions (--- and +++); the rest are hunks.
    const kind = i < 2 || line.startsWith("@@") ? "diff-hunk" : line.startsWith("+") ? "diff-add" : line.startsWith("-") ? "diff-del" : "";
    return h("span", { class: kind || null }, line + "\n");
  }));
}

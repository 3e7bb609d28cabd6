// "Try on the last 100 real events": the endpoint's draft transformation
// replayed beside the live one over its most recent real messages (POST
// …/endpoints/{id}/transformation/preview). Nothing is sent. The summary
// comes first — how many messages the draft leaves unchanged, changes,
// makes invalid, skips or breaks — then each message that differs, with
// the fields that differ.

import { h, replace } from "./dom.js";
import { errorNotice } from "./ui.js";

/** How many recent messages a replay runs on. */
export const REPLAY_LIMIT = 100;

const CHANGES = [
  ["newly_invalid", "newly invalid", "the tool would refuse them"],
  ["error", "errors", "the draft fails on them"],
  ["newly_skipped", "newly skipped", "the draft no longer sends them"],
  ["changed", "changed", "a different request"],
  ["unchanged", "unchanged", ""],
  ["not_run", "not run", "after a run hit the sandbox's limits"],
];

/**
 * replayCard returns the card: a button that replays the code getCode()
 * returns over the endpoint's recent messages, and the result.
 */
export function replayCard({ api, endpointID, getCode }) {
  const out = h("div", { "aria-live": "polite", "data-replay-result": "" });
  const run = h("button", { type: "button", class: "btn", "data-action": "replay" }, `Try on the last ${REPLAY_LIMIT} real events`);
  run.addEventListener("click", async () => {
    run.disabled = true;
    replace(out, h("p", { class: "muted small" }, "Running the draft and the live transformation…"));
    try {
      const res = await api.c.post(api.path("endpoints", endpointID, "transformation", "preview"), { code: getCode(), limit: REPLAY_LIMIT });
      replace(out, resultView(res));
    } catch (err) {
      replace(out, errorNotice(err));
    } finally {
      run.disabled = false;
    }
  });
  return h("div", { class: "stack", "data-replay": "" },
    h("p", { class: "muted small" }, "Runs the code in the editor and the saved code on this endpoint's most recent real events, and shows what would change. Nothing is sent."),
    h("div", null, run), out);
}

function resultView(res) {
  if (res.items.length === 0) return h("p", { class: "muted small" }, "This endpoint has received no events yet.");
  const s = res.summary;
  const counts = CHANGES.filter(([key]) => s[key] > 0).map(([key, label, hint]) =>
    h("li", { "data-change": key, title: hint }, h("strong", null, String(s[key])), ` ${label}`));
  const differing = res.items.filter((it) => it.change !== "unchanged");
  return h("div", { class: "stack" },
    h("ul", { class: "replay-summary", "data-replay-summary": "" }, counts),
    differing.length === 0
      ? h("p", { class: "small" }, `The draft sends the same requests as the live code on all ${res.items.length} events.`)
      : h("div", { class: "stack" }, differing.slice(0, 50).map(itemView)),
    differing.length > 50 ? h("p", { class: "muted small" }, `And ${differing.length - 50} more.`) : null);
}

function itemView(it) {
  const label = (CHANGES.find(([key]) => key === it.change) || [null, it.change])[1];
  const draft = it.draft || {};
  return h("details", { class: "replay-item", "data-message": it.message_id, "data-change": it.change },
    h("summary", null, h("code", null, it.event_type), " ", h("span", { class: `badge ${it.change === "changed" ? "" : "badge-bad"}` }, label),
      " ", h("span", { class: "muted small" }, it.message_id)),
    draft.error ? h("p", { class: "form-error" }, draft.error) : null,
    draft.skip_reason ? h("p", { class: "small" }, draft.skip_reason) : null,
    (draft.problems || []).filter((p) => !p.warning).map((p) => h("p", { class: "form-error" }, `${p.field}: ${p.message}`, p.fix ? ` Fix: ${p.fix}` : "")),
    it.diff.length > 0
      ? h("table", { class: "replay-diff" },
        h("thead", null, h("tr", null, h("th", null, "Field"), h("th", null, "Live"), h("th", null, "Draft"))),
        h("tbody", null, it.diff.map((d) => h("tr", { "data-path": d.path },
          h("td", null, h("code", null, d.path)),
          h("td", null, h("code", null, d.live === undefined ? "—" : JSON.stringify(d.live))),
          h("td", null, h("code", null, d.draft === undefined ? "—" : JSON.stringify(d.draft)))))))
      : null);
}

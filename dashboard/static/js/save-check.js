// The save check's answer in the forms. Saving an endpoint runs its
// transformation on the sample of every event type it receives; when a
// sample would be refused by the tool or makes the code fail, the API
// answers 422 transformation_rejected with the problems, and saves only if
// asked again with force. The forms show the problems and ask: saving
// anyway is a choice made with eyes open, never a silent one.

import { h } from "./dom.js";

/** isRejectedSave reports whether err is the save check's refusal. */
export function isRejectedSave(err) {
  return err && err.code === "transformation_rejected";
}

/**
 * rejectedSaveNotice lists what the save check found and offers to save
 * anyway: onForce runs when the person confirms. verb names the action
 * ("Create", "Save").
 */
export function rejectedSaveNotice(err, verb, onForce) {
  const problems = err.problems || [];
  const anyway = h("button", { type: "button", class: "btn btn-danger", "data-action": "save-anyway" }, `${verb} anyway`);
  anyway.addEventListener("click", () => {
    anyway.disabled = true;
    onForce();
  });
  return h("div", { class: "notice notice-bad", role: "alert", "data-save-check": "" },
    h("p", null, h("strong", null, `Not yet: the transformation would not deliver ${countTypes(problems)}.`)),
    h("ul", { class: "save-problems" }, problems.map((p) => h("li", { "data-event-type": p.event_type },
      h("code", null, p.event_type), " — ",
      p.kind === "error" ? "the code fails: " : `${p.field ? p.field + ": " : ""}the tool would refuse it: `,
      p.message,
      p.fix ? h("span", { class: "muted" }, ` Fix: ${p.fix}`) : null))),
    (err.notChecked || []).length > 0
      ? h("p", { class: "small muted" }, `Not checked, after a run hit the sandbox's limits: ${err.notChecked.join(", ")}.`)
      : null,
    h("p", { class: "small" }, `Events of these types would fail or not reach the tool. Fix the code and try again, or ${verb.toLowerCase()} it as it is:`),
    anyway);
}

function countTypes(problems) {
  const n = new Set(problems.map((p) => p.event_type)).size;
  return n === 1 ? "one event type's sample" : `the samples of ${n} event types`;
}

// "Send again" on a message's page: one more delivery of the message to
// every endpoint, or to those chosen, whatever became of the earlier ones.

import { h, replace, uid } from "../dom.js";
import { appwide } from "../appwide-api.js";
import { errorNotice } from "../ui.js";

/** resendCard offers to send a message again; onSent runs after. */
export function resendCard(ctx, msg, endpoints, onSent) {
  const targets = endpoints.filter((e) => !e.operational);
  if (targets.length === 0) return null;
  const boxes = targets.map((e) => {
    const id = uid("resend");
    const box = h("input", { type: "checkbox", id, name: "resend_endpoint", value: e.id, checked: true });
    return { box, label: h("label", { class: "check", for: id }, box, " ", e.name, e.disabled ? h("span", { class: "muted small" }, " (disabled)") : null) };
  });
  const all = h("input", { type: "checkbox", id: uid("resend-all"), checked: true, "data-action": "resend-all" });
  all.addEventListener("change", () => { for (const { box } of boxes) box.checked = all.checked; });
  for (const { box } of boxes) box.addEventListener("change", () => { all.checked = boxes.every((b) => b.box.checked); });
  const send = h("button", { type: "submit", class: "btn btn-primary", "data-action": "resend" }, "Send again");
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", null,
    h("fieldset", { class: "resend-targets" }, h("legend", { class: "section-label" }, "Endpoints"),
      h("label", { class: "check", for: all.id }, all, " ", h("strong", null, "All endpoints")),
      boxes.map((b) => b.label)),
    h("div", { class: "row" }, send), result);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    if (chosen.length === 0) {
      replace(result, h("p", { class: "form-error" }, "Choose at least one endpoint."));
      return;
    }
    send.disabled = true;
    try {
      const api = appwide(ctx.app);
      for (const id of chosen) await api.resend(msg.id, id);
      replace(result, h("p", { class: "small", role: "status" }, `Queued to ${chosen.length} endpoint${chosen.length === 1 ? "" : "s"}.`));
      if (onSent) onSent();
    } catch (err) {
      replace(result, errorNotice(err));
    } finally {
      send.disabled = false;
    }
  });
  return h("section", { class: "card", "aria-labelledby": "resend-title" },
    h("div", { class: "card-head" }, h("div", null, h("h2", { id: "resend-title" }, "Send again"),
      h("p", null, "Queues one more delivery of this event to each endpoint chosen, with the same idempotency key as before."))),
    form);
}

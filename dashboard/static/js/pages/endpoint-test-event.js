// "Send a test event" on the endpoint page: the sample of an event type,
// run through the endpoint's transformation with its stored credentials
// and sent for real; the answer is shown in place. Nothing is stored.

import { h, replace } from "../dom.js";
import { ms } from "../format.js";
import { appwide } from "../appwide-api.js";
import { headersView, requestView } from "../test-panel.js";
import { errorNotice, field } from "../ui.js";

/** testEventCard is the endpoint page's card that sends a test event. */
export function testEventCard(ctx, ep) {
  const offered = ep.event_types && ep.event_types.length > 0 ? ep.event_types : ctx.catalog.eventTypes.map((et) => et.name);
  const type = h("select", { name: "test_event_type", "data-field": "event_type" }, offered.map((name) => h("option", { value: name }, name)));
  const send = h("button", { type: "submit", class: "btn btn-primary", "data-action": "send-test-event" }, "Send test event");
  const result = h("div", { class: "test-result", "aria-live": "polite", "data-test-event-result": "" });
  const form = h("form", { class: "row" }, h("div", { class: "spacer" }, field("Event type", type)), send);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    send.disabled = true;
    replace(result, h("p", { class: "loading", role: "status" }, "Sending…"));
    try {
      replace(result, resultView(await appwide(ctx.app).sendTest(ep.id, type.value)));
    } catch (err) {
      replace(result, errorNotice(err));
    } finally {
      send.disabled = false;
    }
  });
  return h("section", { class: "card", "aria-labelledby": "test-event-title" },
    h("div", { class: "card-head" }, h("div", null, h("h2", { id: "test-event-title" }, "Send a test event"),
      h("p", null, "Sends the catalogue's sample of an event type to this endpoint now, as a delivery would, and shows the answer. It is not recorded among the deliveries."))),
    form, result);
}

// resultView says what happened to the test: sent and how the answer
// reads, or why nothing was sent.
function resultView(res) {
  const resp = res.response;
  let cls = "result-skipped";
  let head = "";
  let detail = "";
  if (res.status === "error") {
    cls = "result-error";
    head = "The transformation failed";
    detail = res.error ? res.error.message : "";
  } else if (res.status === "skipped") {
    head = "Not sent: the transformation skips this event";
    detail = res.skip_reason || "";
  } else if (res.status === "invalid") {
    cls = "result-invalid";
    head = "Not sent: the destination would refuse it";
    detail = (res.problems || []).map((p) => `${p.field}: ${p.message}`).join("; ");
  } else if (resp) {
    const accepted = resp.judgement && resp.judgement.outcome === "accepted";
    cls = accepted ? "result-ready" : "result-error";
    head = resp.status ? `${accepted ? "Accepted" : "Not accepted"}: HTTP ${resp.status} in ${ms(resp.duration_ms)}` : "No answer";
    detail = resp.error || (resp.judgement && resp.judgement.reason) || "";
  }
  return h("div", { "data-outcome": resp && resp.judgement ? resp.judgement.outcome : res.status },
    h("div", { class: `result-banner ${cls}`, role: "status" }, h("div", null, h("strong", null, head), detail ? h("p", null, detail) : null)),
    res.request ? requestView(res.request, "Request sent") : null,
    resp && resp.status ? h("section", { "aria-label": "Response" }, h("h3", { class: "section-label" }, "Response"), headersView(resp.headers),
      resp.body ? h("pre", { class: "code", tabindex: "0" }, resp.body) : h("p", { class: "muted small" }, "Empty body.")) : null);
}

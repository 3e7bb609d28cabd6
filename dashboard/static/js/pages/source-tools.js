// A source's test tools: the `hookbridge trigger` command that sends a
// signed sample from a terminal, and a button that has the server send
// one, signed with the source's secret, through the source.

import { h, replace } from "../dom.js";
import { appwide } from "../appwide-api.js";
import { copyField, errorNotice, field, toast } from "../ui.js";

/** triggerCommand is the CLI line that sends a signed sample to the source. */
export function triggerCommand(src, eventType = "payment.succeeded") {
  return `hookbridge trigger ${eventType} --to ${src.ingest_url} --secret whsec_…`;
}

/** sourceTools returns the source card's test tools; the sample's message opens on success. */
export function sourceTools(ctx, src) {
  const type = h("select", { name: "source_sample_type" }, ctx.catalog.eventTypes.map((et) => h("option", { value: et.name }, et.name)));
  type.value = "payment.succeeded";
  const command = h("div", { "data-trigger-command": "" });
  const show = () => replace(command, copyField("Command", triggerCommand(src, type.value)),
    h("p", { class: "small muted" }, "Replace whsec_… with the source's signing secret, shown when the source was made or its secret rotated."));
  type.addEventListener("change", show);
  show();
  const send = h("button", { type: "submit", class: "btn", "data-action": "send-signed-sample" }, "Send a signed sample");
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "row" }, h("div", { class: "spacer" }, field("Event type", type)), send);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    send.disabled = true;
    replace(result);
    try {
      const msg = await appwide(ctx.app).sendSourceSample(src.id, type.value);
      toast("Signed sample received");
      replace(result, h("p", { class: "small", role: "status", "data-sample-sent": msg.id }, "Received and verified as ",
        h("a", { href: ctx.link("messages", msg.id) }, msg.event_type), "."));
    } catch (err) {
      replace(result, errorNotice(err));
    } finally {
      send.disabled = false;
    }
  });
  return h("details", { class: "disclosure source-tools", "data-source-tools": "" },
    h("summary", null, "Test this source"),
    h("p", { class: "small muted" }, "Send the sample of an event type, signed with the source's secret as the payments platform signs it."),
    form, result, command);
}

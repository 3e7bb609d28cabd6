// Sources: inbound addresses that take signed webhooks from the payments
// platform. Create one, copy its URL and secret into the platform, see the
// last events it received.

import { h, replace } from "../dom.js";
import { customerOf, exactTime, when } from "../format.js";
import { copyField, errorNotice, field, secretOnce, toast } from "../ui.js";
import { sourceTools } from "./source-tools.js";

const RECENT_SHOWN = 5;

export async function sourcesPage(ctx) {
  ctx.setTitle("Sources");
  const fresh = h("div", { "aria-live": "polite" });
  const listBox = h("div", { class: "stack" });

  async function load() {
    const sources = await ctx.app.sources();
    const recent = await Promise.all(sources.map((s) => ctx.app.messages({ source_id: s.id, limit: RECENT_SHOWN })));
    replace(listBox, sources.length === 0
      ? h("div", { class: "card empty" }, h("h2", null, "No sources yet"),
        h("p", null, "A source gives the payments platform an address to send its signed webhooks to. Create one, then paste its URL and secret into the platform's webhook settings."))
      : sources.map((s, i) => sourceCard(ctx, s, recent[i].data, { onSecret: showSecret, reload: load })));
  }

  function showSecret(source, secret, what) {
    replace(fresh, h("div", { class: "card" }, h("h2", { class: "field" }, `Set up “${source.name}” in the payments platform`),
      copyField("Webhook URL", source.ingest_url), secretOnce("Signing secret", secret, what)));
    fresh.scrollIntoView({ block: "start" });
  }

  const name = h("input", { type: "text", name: "name", placeholder: "Payments platform (live)", "data-field": "name" });
  const error = h("div", { "aria-live": "assertive" });
  const create = h("form", { class: "row" }, h("div", { class: "spacer" }, field("Name", name)),
    h("button", { type: "submit", class: "btn btn-primary", "data-action": "create-source" }, "Create source"));
  create.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    try {
      const body = name.value.trim() ? { name: name.value.trim() } : {};
      const src = await ctx.app.createSource(body);
      name.value = "";
      showSecret(src, src.secret, "Paste it into the platform as the endpoint's signing secret.");
      await load();
    } catch (err) {
      replace(error, errorNotice(err));
    }
  });

  await load();
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Sources"),
      h("p", { class: "lede" }, "Addresses where the payments platform sends its signed webhooks (Standard Webhooks). Each verified request becomes an event of this app and flows to its endpoints."))),
    h("div", { class: "stack" },
      h("section", { class: "card", "aria-labelledby": "new-source" }, h("h2", { id: "new-source", class: "field" }, "New source"), create, error),
      fresh, listBox));
}

function sourceCard(ctx, src, recent, { onSecret, reload }) {
  const rotate = h("button", { type: "button", class: "btn btn-small", "data-action": "rotate-source-secret" }, "Rotate secret");
  rotate.addEventListener("click", async () => {
    if (!window.confirm("Make a new signing secret? The current one keeps verifying for 24 hours, so you have time to update the platform.")) return;
    try {
      const updated = await ctx.app.rotateSourceSecret(src.id);
      onSecret(updated, updated.secret, "The previous secret keeps working for 24 hours.");
      await reload();
    } catch (err) {
      toast(err.message, { bad: true });
    }
  });
  const del = h("button", { type: "button", class: "btn btn-small btn-danger", "data-action": "delete-source" }, "Delete");
  del.addEventListener("click", async () => {
    if (!window.confirm(`Delete the source "${src.name}"? Webhooks sent to its URL will be refused.`)) return;
    try {
      await ctx.app.deleteSource(src.id);
      toast("Source deleted");
      await reload();
    } catch (err) {
      toast(err.message, { bad: true });
    }
  });
  return h("section", { class: "card", "data-source": src.id, "aria-label": src.name },
    h("div", { class: "card-head" }, h("div", null, h("h2", null, src.name), h("p", null, h("code", null, src.id), " · created ", when(src.created_at))),
      h("div", { class: "row" }, rotate, del)),
    copyField("Webhook URL", src.ingest_url),
    sourceTools(ctx, src),
    h("h3", { class: "section-label" }, "Signing secrets"),
    h("ul", { class: "list small" }, src.secrets.map((sec) => h("li", null, h("code", null, sec.masked), " — created ", exactTime(sec.created_at),
      sec.expires_at ? h("span", { class: "muted" }, `, stops verifying ${exactTime(sec.expires_at)}`) : ""))),
    h("h3", { class: "section-label" }, "Last events received"),
    recent.length === 0 ? h("p", { class: "muted small" }, "None yet.")
      : h("ul", { class: "rows" }, recent.slice(0, RECENT_SHOWN).map((m) => h("li", null,
        h("a", { class: "row-link", href: ctx.link("messages", m.id) }, h("code", null, m.event_type), h("span", { class: "ellipsis" }, customerOf(m.payload)),
          h("span", { class: "small muted hide-narrow" }, m.event_id), h("span", { class: "small muted" }, when(m.created_at)))))));
}

// Settings of the app: its API tokens (the secret shown once), portal
// links for the app's customers, how long it keeps events, its retry
// schedule, its operational webhook and the audit log of changes; for an
// admin, the installation's apps too.

import { h, replace } from "../dom.js";
import { exactTime, when } from "../format.js";
import { appwide } from "../appwide-api.js";
import { copyField, errorNotice, field, secretOnce, toast } from "../ui.js";

export async function settingsPage(ctx) {
  ctx.setTitle("Settings");
  const api = appwide(ctx.app);
  const app = await api.get();
  const sections = [
    tokensSection(ctx, api),
    portalSection(api),
    deliverySection(ctx, api, app),
    await operationalSection(api),
    auditSection(api),
  ];
  if (ctx.session.admin) sections.unshift(appsSection(ctx));
  return h("div", null,
    h("div", { class: "page-head" }, h("div", null, h("h1", null, "Settings"),
      h("p", { class: "lede" }, `App “${app.name}” (`, h("code", null, app.id), `), created ${exactTime(app.created_at)}.`))),
    h("nav", { class: "settings-toc", "aria-label": "Settings sections" }, h("ul", null,
      sections.map((s) => h("li", null, h("a", { href: `#${s.id}` }, s.dataset.title))))),
    h("div", { class: "stack" }, sections));
}

// section is a card with a heading the table of contents links to.
function section(id, title, lede, ...body) {
  const el = h("section", { class: "card", id, "aria-labelledby": `${id}-title`, "data-settings": id },
    h("div", { class: "card-head" }, h("div", null, h("h2", { id: `${id}-title` }, title), lede ? h("p", null, lede) : null)),
    ...body);
  el.dataset.title = title;
  return el;
}

// ---- Apps --------------------------------------------------------------

function appsSection(ctx) {
  const list = h("ul", { class: "rows", "data-apps": "" });
  const error = h("div", { "aria-live": "assertive" });
  async function load() {
    const apps = (await ctx.client.get("/api/v1/apps")).data;
    replace(list, apps.map((a) => appRow(a)));
  }
  // appRow is one app, with a Rename button that turns its name into a
  // field in place (Enter saves, Escape cancels).
  function appRow(a) {
    const li = h("li", { "data-app": a.id });
    const show = () => {
      const rename = h("button", { type: "button", class: "btn btn-small", "data-action": "rename-app", "aria-label": `Rename ${a.name}` }, "Rename");
      rename.addEventListener("click", edit);
      replace(li, h("div", { class: "line" },
        h("a", { href: `/apps/${encodeURIComponent(a.id)}/settings` }, a.name), h("code", { class: "small ellipsis" }, a.id),
        h("span", { class: "small muted" }, when(a.created_at)), rename));
    };
    const edit = () => {
      const input = h("input", { type: "text", name: "rename_app", value: a.name, autocomplete: "off", "data-field": "name" });
      const cancel = h("button", { type: "button", class: "btn btn-small", onclick: () => show() }, "Cancel");
      const form = h("form", { class: "row line" }, h("div", { class: "spacer" }, field(`New name of ${a.id}`, input)),
        h("button", { type: "submit", class: "btn btn-small btn-primary", "data-action": "save-app-name" }, "Save"), cancel);
      input.addEventListener("keydown", (e) => { if (e.key === "Escape") show(); });
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        replace(error);
        try {
          const updated = await ctx.client.patch(`/api/v1/apps/${encodeURIComponent(a.id)}`, { name: input.value });
          a = updated;
          toast(`Renamed to ${updated.name}`);
          show();
          li.querySelector("[data-action=rename-app]").focus();
        } catch (err) {
          replace(error, errorNotice(err));
        }
      });
      replace(li, form);
      input.focus();
      input.select();
    };
    show();
    return li;
  }
  const id = h("input", { type: "text", name: "app_id", placeholder: "acme", spellcheck: false, autocomplete: "off" });
  const name = h("input", { type: "text", name: "app_name", placeholder: "Acme Inc.", autocomplete: "off" });
  const form = h("form", { class: "filters" }, field("Id (optional)", id), field("Name", name),
    h("div", { class: "field" }, h("button", { type: "submit", class: "btn btn-primary", "data-action": "create-app" }, "Create app")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    try {
      const body = { name: name.value.trim() };
      if (id.value.trim()) body.id = id.value.trim();
      const made = await ctx.client.post("/api/v1/apps", body);
      toast(`App ${made.name} created`);
      id.value = "";
      name.value = "";
      await load();
    } catch (err) {
      replace(error, errorNotice(err));
    }
  });
  load().catch((err) => replace(error, errorNotice(err)));
  return section("apps", "Apps", "Each app is a tenant with its own endpoints, events, sources and tokens. You see every app as an admin; the app picker shows new names after the next sign-in or reload.",
    list, h("h3", { class: "section-label" }, "New app"), form, error);
}

// ---- API tokens ------------------------------------------------------------

function tokensSection(ctx, api) {
  const list = h("ul", { class: "rows", "data-tokens": "" });
  const fresh = h("div", { "aria-live": "polite" });
  const error = h("div", { "aria-live": "assertive" });
  async function load() {
    const tokens = await api.tokens();
    replace(list, tokens.length === 0 ? h("li", { class: "empty" }, h("p", null, "No API tokens for this app yet."))
      : tokens.map((t) => tokenRow(t, load)));
  }
  function tokenRow(t, reload) {
    const revoked = Boolean(t.revoked_at);
    const expired = t.expires_at && new Date(t.expires_at) < new Date();
    const revoke = revoked ? null : h("button", { type: "button", class: "btn btn-small btn-danger", "data-action": "revoke-token", "aria-label": `Revoke ${t.name}` }, "Revoke");
    if (revoke) {
      revoke.addEventListener("click", async () => {
        if (!window.confirm(`Revoke the token “${t.name}”? Programs using it stop working at once.`)) return;
        try {
          await api.revokeToken(t.id);
          toast("Token revoked");
          await reload();
        } catch (err) {
          toast(err.message, { bad: true });
        }
      });
    }
    return h("li", { "data-token": t.id, "data-revoked": revoked ? "true" : "false" }, h("div", { class: "line" },
      h("strong", { class: "ellipsis" }, t.name),
      h("code", { class: "small", "data-masked": "" }, "••••••••"),
      h("span", { class: "small muted" }, "created ", when(t.created_at)),
      h("span", { class: "small" }, revoked ? h("span", { class: "badge" }, "Revoked")
        : expired ? h("span", { class: "badge" }, "Expired")
          : t.expires_at ? h("span", { class: "muted" }, `expires ${exactTime(t.expires_at)}`) : h("span", { class: "badge badge-ok" }, "Active")),
      revoke));
  }
  const name = h("input", { type: "text", name: "token_name", placeholder: "Billing service (production)", autocomplete: "off" });
  const form = h("form", { class: "row" }, h("div", { class: "spacer" }, field("Token name", name)),
    h("button", { type: "submit", class: "btn btn-primary", "data-action": "create-token" }, "Create token"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    try {
      const tok = await api.createToken({ name: name.value.trim() });
      name.value = "";
      replace(fresh, secretOnce("API token", tok.token, `Programs send it as “Authorization: Bearer …”; it sees only the app ${ctx.appID}.`));
      await load();
    } catch (err) {
      replace(error, errorNotice(err));
    }
  });
  load().catch((err) => replace(error, errorNotice(err)));
  return section("tokens", "API tokens", "Tokens that reach this app's API and nothing else. The secret is shown once, when the token is made; only its hash is kept.",
    form, error, fresh, list);
}

// ---- Portal links ----------------------------------------------------------

function portalSection(api) {
  const out = h("div", { "aria-live": "polite" });
  const make = h("button", { type: "button", class: "btn", "data-action": "portal-link" }, "Make a sign-in link");
  make.addEventListener("click", async () => {
    make.disabled = true;
    try {
      const link = await api.portalLink({});
      replace(out, copyField("Portal link", link.url, { name: "portal_url" }),
        h("p", { class: "small muted" }, `It signs in once, to this app only, and expires ${exactTime(link.expires_at)}.`));
    } catch (err) {
      replace(out, errorNotice(err));
    } finally {
      make.disabled = false;
    }
  });
  return section("portal", "Portal links", "A one-time link that opens this dashboard for this app alone: hand it to the customer who owns the app, or embed it in your product.",
    h("div", { class: "row" }, make), out);
}

// ---- Retention and retries ---------------------------------------------------

function deliverySection(ctx, api, app) {
  const admin = ctx.session.admin;
  const retention = h("input", { type: "number", name: "retention_days", min: 1, step: 1, placeholder: "default", "data-field": "retention_days", disabled: !admin });
  retention.value = app.retention_days ?? "";
  const schedule = h("input", { type: "text", name: "retry_schedule", spellcheck: false, placeholder: "0s, 5s, 5m, 30m, 2h, 5h, 10h", "data-field": "retry_schedule", disabled: !admin });
  schedule.value = (app.retry_schedule || []).join(", ");
  const disableAfter = h("input", { type: "text", name: "disable_endpoint_after", spellcheck: false, placeholder: "5d", "data-field": "disable_endpoint_after", disabled: !admin });
  disableAfter.value = app.disable_endpoint_after && app.disable_endpoint_after !== "0s" ? app.disable_endpoint_after : "";
  const result = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "save-delivery-settings", disabled: !admin }, "Save");
  const form = h("form", { class: "stack" },
    field("Keep events for (days)", retention, { help: "Empty: the installation's default. Older events, their deliveries and attempts are deleted." }),
    field("Retry schedule", schedule, { help: "The wait before each attempt, separated by commas; the first is 0s (at once). Empty: the platform's schedule." }),
    field("Disable a failing endpoint after", disableAfter, { help: "How long an endpoint may fail without a success before it is disabled, such as 5d. Empty: 5 days." }),
    h("div", { class: "row" }, save, admin ? null : h("span", { class: "small muted" }, "Only an admin token may change these.")),
    result);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(result);
    const waits = schedule.value.split(",").map((x) => x.trim()).filter(Boolean);
    try {
      await api.update({
        retention_days: retention.value === "" ? null : Number(retention.value),
        retry_schedule: waits,
        disable_endpoint_after: disableAfter.value.trim() || "0s",
      });
      replace(result, h("p", { class: "small", role: "status" }, "Saved."));
      toast("Settings saved");
    } catch (err) {
      replace(result, errorNotice(err));
    }
  });
  return section("delivery", "Retention and retries", "How long this app keeps its events, and how its deliveries are retried.", form);
}

// ---- Operational webhook -----------------------------------------------------

async function operationalSection(api) {
  const box = h("div");
  const fresh = h("div", { "aria-live": "polite" });
  let current = null;
  try {
    current = await api.operationalWebhook();
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  function render() {
    const url = h("input", { type: "url", name: "operational_url", placeholder: "https://ops.example.com/hookbridge", value: current ? current.url : "", "data-field": "url" });
    const error = h("div", { "aria-live": "assertive" });
    const form = h("form", { class: "row" }, h("div", { class: "spacer" }, field("URL", url)),
      h("button", { type: "submit", class: "btn btn-primary", "data-action": "save-operational" }, current ? "Save URL" : "Send operational events here"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(error);
      try {
        current = await api.setOperationalWebhook(url.value.trim());
        if (current.signing_secret) replace(fresh, secretOnce("Signing secret", current.signing_secret, "Verify the webhook-signature header of each operational event with it."));
        toast("Operational webhook saved");
        render();
      } catch (err) {
        replace(error, errorNotice(err));
      }
    });
    const remove = current ? h("button", { type: "button", class: "btn btn-small btn-danger", "data-action": "delete-operational" }, "Stop sending") : null;
    if (remove) {
      remove.addEventListener("click", async () => {
        if (!window.confirm("Stop sending operational events?")) return;
        try {
          await api.deleteOperationalWebhook();
          current = null;
          replace(fresh);
          render();
        } catch (err) {
          toast(err.message, { bad: true });
        }
      });
    }
    replace(box, form, error,
      current ? h("p", { class: "small muted" }, "Events: ", current.event_types.map((t) => h("code", null, t, " ")), current.disabled ? " · disabled" : "") : null,
      remove);
  }
  render();
  return section("operational", "Operational webhook", "Where hookbridge tells you that an endpoint was disabled or a delivery ran out of retries, signed like any webhook.", fresh, box);
}

// ---- Audit log ------------------------------------------------------------------

function auditSection(api) {
  const list = h("ul", { class: "rows", "data-audit": "" });
  const more = h("div", { class: "row" });
  const error = h("div", { "aria-live": "assertive" });
  async function load(before) {
    try {
      const page = await api.audit({ before, limit: 25 });
      if (!before) replace(list);
      if (!before && page.data.length === 0) list.append(h("li", { class: "empty" }, h("p", null, "No changes recorded yet.")));
      list.append(...page.data.map((e) => h("li", { "data-audit-entry": e.id }, h("div", { class: "line" },
        h("code", { class: "small" }, e.method),
        h("span", { class: "ellipsis small", title: e.path }, e.path),
        h("span", { class: `badge ${e.status < 400 ? "badge-ok" : "badge-bad"}` }, String(e.status)),
        h("span", { class: "small muted ellipsis" }, e.token_name || e.token_id),
        h("span", { class: "small muted" }, when(e.created_at))))));
      replace(more, page.next_before ? h("button", { type: "button", class: "btn", onclick: () => load(page.next_before) }, "Show older changes") : null);
    } catch (err) {
      replace(error, errorNotice(err));
    }
  }
  load("");
  return section("audit", "Audit log", "Every change made to this app through the API or this dashboard, newest first, with the token that made it.", error, list, more);
}

// Previews of a request as its destination will show it: a Slack message,
// a Discord message with its embeds, a Teams Adaptive Card, an email. They
// are rough likenesses, for seeing at a glance what a template makes, not
// pixel copies of the tools.
//
// Every text of the payload goes into the page as text nodes (through h),
// never parsed as markup: the little markup the tools read (Slack's
// mrkdwn, Discord's and Teams' markdown) is turned into elements here. The
// one exception is an email's HTML, which is shown inside an iframe with
// sandbox="" (no scripts, no forms, no same-origin access) through srcdoc;
// the iframe also inherits the dashboard's Content-Security-Policy, so it
// loads no remote image (tracking pixels stay unloaded) and applies none
// of the email's inline styles: the preview shows its text and structure,
// and says so when the email has styles it leaves out.

import { h } from "./dom.js";

/**
 * previewFor returns the preview of body (the request body, parsed) for
 * the integration with id, or null when there is none for that
 * integration or the body is not of a shape it shows.
 */
export function previewFor(integrationID, body) {
  if (!body || typeof body !== "object") return null;
  const render = RENDERERS[integrationID];
  const element = render ? render(body) : null;
  if (!element) return null;
  return h("section", { class: "preview", "aria-label": "Preview", "data-preview": integrationID },
    h("h3", { class: "section-label" }, "Preview"),
    element);
}

const RENDERERS = {
  slack: slackPreview,
  discord: discordPreview,
  teams: teamsPreview,
  resend: (body) => emailPreviews(body, resendEmail),
  sendgrid: (body) => emailPreviews(body, sendgridEmail),
  loops: (body) => emailPreviews(body, loopsEmail),
};

const str = (v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const list = (v) => (Array.isArray(v) ? v : []);

/* ---- Slack ------------------------------------------------------------ */

/** slackPreview shows an incoming-webhook message: its blocks, else its text, and legacy attachments. */
export function slackPreview(body) {
  const blocks = list(body.blocks);
  const attachments = list(body.attachments);
  if (blocks.length === 0 && !body.text && attachments.length === 0) return null;
  return h("div", { class: "pv-slack", "data-preview-kind": "slack" },
    h("div", { class: "pv-slack-author" }, h("span", { class: "pv-avatar", "aria-hidden": "true" }), h("strong", null, str(body.username) || "hookbridge"), h("span", { class: "pv-muted" }, "APP")),
    blocks.length > 0 ? blocks.map(slackBlock) : h("p", { class: "pv-slack-text" }, mrkdwn(str(body.text))),
    attachments.map(slackAttachment));
}

function slackBlock(block) {
  switch (block && block.type) {
    case "header":
      return h("p", { class: "pv-slack-header", "data-block": "header" }, slackText(block.text));
    case "section":
      return h("div", { class: "pv-slack-section", "data-block": "section" },
        block.text ? h("p", null, slackText(block.text)) : null,
        list(block.fields).length > 0 ? h("div", { class: "pv-slack-fields" }, list(block.fields).map((f) => h("p", { "data-field": "" }, slackText(f)))) : null,
        block.accessory && block.accessory.type === "button" ? slackButton(block.accessory) : null);
    case "context":
      return h("p", { class: "pv-slack-context", "data-block": "context" },
        list(block.elements).map((e, i) => [i > 0 ? "  " : null, e.type === "image" ? h("span", { class: "pv-muted" }, `[${str(e.alt_text) || "image"}]`) : slackText(e)]));
    case "divider":
      return h("hr", { class: "pv-divider", "data-block": "divider" });
    case "actions":
      return h("div", { class: "pv-actions", "data-block": "actions" }, list(block.elements).filter((e) => e.type === "button").map(slackButton));
    case "image":
      return h("p", { class: "pv-muted", "data-block": "image" }, `[image: ${str(block.alt_text) || str(block.image_url)}]`);
    default:
      return h("p", { class: "pv-muted", "data-block": str(block && block.type) }, `[${str(block && block.type) || "unknown"} block]`);
  }
}

function slackAttachment(a) {
  if (!a || typeof a !== "object") return null;
  const bar = h("div", { class: "pv-attachment", "data-attachment": "" },
    a.title ? h("strong", null, str(a.title)) : null,
    a.text ? h("p", null, mrkdwn(str(a.text))) : null,
    list(a.fields).length > 0 ? h("div", { class: "pv-slack-fields" }, list(a.fields).map((f) => h("p", null, h("strong", null, str(f.title)), h("br"), mrkdwn(str(f.value))))) : null,
    list(a.blocks).map(slackBlock),
    a.footer ? h("p", { class: "pv-slack-context" }, str(a.footer)) : null);
  setBarColour(bar, slackColour(a.color));
  return bar;
}

// slackColour reads an attachment colour: a hex code or good, warning, danger.
function slackColour(c) {
  return { good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a" }[c] || cssHex(c);
}

function slackButton(b) {
  return h("span", { class: `pv-button ${b.style === "primary" ? "pv-button-primary" : b.style === "danger" ? "pv-button-danger" : ""}`, title: str(b.url) }, slackText(b.text));
}

// slackText shows a text object: mrkdwn, or plain_text as it is (with
// its emoji shortcodes unless emoji is false).
function slackText(t) {
  if (!t) return "";
  if (typeof t === "string") return mrkdwn(t);
  if (t.type === "mrkdwn") return mrkdwn(str(t.text));
  return t.emoji === false ? str(t.text) : emoji(str(t.text));
}

// EMOJI are the shortcodes Slack messages use most, the built-in
// templates' among them; others stay as written.
const EMOJI = {
  alarm_clock: "⏰", arrow_forward: "▶️", arrows_counterclockwise: "🔄", bell: "🔔", credit_card: "💳",
  double_vertical_bar: "⏸️", handshake: "🤝", heavy_check_mark: "✔️", hourglass: "⌛", hourglass_flowing_sand: "⏳",
  information_source: "ℹ️", leftwards_arrow_with_hook: "↩️", moneybag: "💰", money_with_wings: "💸", no_entry: "⛔",
  no_entry_sign: "🚫", pencil2: "✏️", relieved: "😌", repeat: "🔁", rotating_light: "🚨", scales: "⚖️", tada: "🎉",
  trophy: "🏆", warning: "⚠️", wave: "👋", white_check_mark: "✅", x: "❌",
};

/** emoji replaces the known :shortcodes: of text with their emoji. */
export function emoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
}

const SLACK_LINK = /<([^>|\n]+)(?:\|([^>\n]+))?>/g;
// A mark (*, _, ~) opens and closes only at a word's edge, as Slack
// reads it: snake_case and 2*3*4 stay as they are.
function edged(mark) {
  const m = mark === "*" ? "\\*" : mark;
  return String.raw`(?<![\p{L}\p{N}_])${m}(?!\s)([^${m}\n]+?)(?<!\s)${m}(?![\p{L}\p{N}_])`;
}
const SLACK_FORMAT = new RegExp(String.raw`${edged("*")}|${edged("_")}|${edged("~")}|` + "`([^`\\n]+)`|\\n", "gu");

/**
 * mrkdwn renders Slack's mrkdwn as nodes: *bold*, _italic_, ~strike~,
 * `code`, <url|text>, <url>, <@user>, <!here>, line breaks, its
 * &amp; &lt; &gt; escapes and the common emoji shortcodes.
 */
export function mrkdwn(text) {
  return markup(text, SLACK_LINK, (m) => slackLink(m[1], m[2]), slackFormat);
}

// slackFormat renders the marks of mrkdwn text that holds no <…>.
function slackFormat(text) {
  return markup(text, SLACK_FORMAT, (m) => {
    if (m[1] !== undefined) return h("strong", null, slackFormat(m[1]));
    if (m[2] !== undefined) return h("em", null, slackFormat(m[2]));
    if (m[3] !== undefined) return h("s", null, slackFormat(m[3]));
    if (m[4] !== undefined) return h("code", null, unescapeSlack(m[4]));
    return h("br");
  }, (s) => emoji(unescapeSlack(s)));
}

// slackLink shows a <…> of mrkdwn: a mention, a special mention (<!here>),
// a date (<!date^unix^format|fallback>, shown as its fallback or the
// local date), or a link.
function slackLink(target, label) {
  if (target.startsWith("@") || target.startsWith("#")) return h("span", { class: "pv-mention" }, label ? `@${unescapeSlack(label)}` : target);
  if (target.startsWith("!date^")) {
    const seconds = Number(target.split("^")[1]);
    return h("span", { class: "pv-date" }, label ? unescapeSlack(label) : Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString() : target);
  }
  if (target.startsWith("!")) return h("span", { class: "pv-mention" }, label ? unescapeSlack(label) : `@${target.slice(1).split("^")[0]}`);
  return link(unescapeSlack(target), unescapeSlack(label || target));
}

function unescapeSlack(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/* ---- Discord ---------------------------------------------------------- */

/** discordPreview shows a webhook message: its content and its embeds, each with its colour bar. */
export function discordPreview(body) {
  const embeds = list(body.embeds);
  if (!body.content && embeds.length === 0) return null;
  return h("div", { class: "pv-discord", "data-preview-kind": "discord" },
    h("div", { class: "pv-slack-author" }, h("span", { class: "pv-avatar", "aria-hidden": "true" }), h("strong", null, str(body.username) || "hookbridge"), h("span", { class: "pv-badge" }, "BOT")),
    body.content ? h("p", { class: "pv-discord-content" }, markdown(str(body.content))) : null,
    embeds.map(discordEmbed));
}

function discordEmbed(e) {
  if (!e || typeof e !== "object") return null;
  const fields = list(e.fields);
  const embed = h("div", { class: "pv-embed", "data-embed": "" },
    e.author && e.author.name ? h("p", { class: "pv-embed-author" }, str(e.author.name)) : null,
    e.title ? h("p", { class: "pv-embed-title", "data-embed-title": "" }, e.url ? link(str(e.url), str(e.title)) : str(e.title)) : null,
    e.description ? h("p", { class: "pv-embed-description" }, markdown(str(e.description))) : null,
    fields.length > 0 ? h("div", { class: "pv-embed-fields" }, fields.map((f) =>
      h("div", { class: f.inline ? "pv-embed-field pv-inline" : "pv-embed-field", "data-embed-field": "" },
        h("strong", null, markdown(str(f.name))), h("div", null, markdown(str(f.value)))))) : null,
    e.footer || e.timestamp ? h("p", { class: "pv-embed-footer" },
      e.footer ? str(e.footer.text) : null, e.footer && e.timestamp ? " • " : null, e.timestamp ? str(e.timestamp) : null) : null);
  setBarColour(embed, Number.isInteger(e.color) ? `#${(e.color & 0xffffff).toString(16).padStart(6, "0")}` : "");
  return embed;
}

const MARKDOWN = new RegExp(String.raw`\*\*([^*\n]+)\*\*|__([^_\n]+)__|\*([^*\n]+)\*|${edged("_")}|~~([^~\n]+)~~|` + "`([^`\\n]+)`" + String.raw`|\[([^\]\n]+)\]\(([^)\s]+)\)|\n`, "gu");

/**
 * markdown renders the markdown Discord and Teams read, roughly:
 * **bold**, __underline__, *italic*, _italic_, ~~strike~~, `code`,
 * [text](url) and line breaks.
 */
export function markdown(text) {
  return markup(text, MARKDOWN, (m) => {
    if (m[1] !== undefined) return h("strong", null, markdown(m[1]));
    if (m[2] !== undefined) return h("u", null, markdown(m[2]));
    if (m[3] !== undefined || m[4] !== undefined) return h("em", null, markdown(m[3] ?? m[4]));
    if (m[5] !== undefined) return h("s", null, markdown(m[5]));
    if (m[6] !== undefined) return h("code", null, m[6]);
    if (m[7] !== undefined) return link(m[8], m[7]);
    return h("br");
  });
}

/* ---- Microsoft Teams -------------------------------------------------- */

/**
 * teamsPreview shows the Adaptive Card of a Teams message: the card of its
 * first attachment of that type, or the body itself when it is a card; or
 * a legacy connector's MessageCard.
 */
export function teamsPreview(body) {
  if (body["@type"] === "MessageCard") return messageCard(body);
  const card = body.type === "AdaptiveCard" ? body
    : list(body.attachments).map((a) => a && a.content).find((c) => c && c.type === "AdaptiveCard");
  if (!card) return body.text ? h("div", { class: "pv-teams", "data-preview-kind": "teams" }, h("p", null, markdown(str(body.text)))) : null;
  return h("div", { class: "pv-teams", "data-preview-kind": "teams" },
    list(card.body).map(cardElement),
    list(card.actions).length > 0 ? h("div", { class: "pv-actions" }, list(card.actions).map(cardAction)) : null);
}

function cardElement(el) {
  if (!el || typeof el !== "object") return null;
  const spacing = el.separator ? [h("hr", { class: "pv-divider" })] : [];
  switch (el.type) {
    case "TextBlock": {
      const classes = ["pv-textblock", `pv-size-${str(el.size).toLowerCase() || "default"}`];
      if (str(el.weight).toLowerCase() === "bolder") classes.push("pv-bolder");
      if (el.isSubtle) classes.push("pv-subtle");
      if (el.color) classes.push(`pv-colour-${str(el.color).toLowerCase()}`);
      return [spacing, h("p", { class: classes.join(" "), "data-card": "TextBlock" }, markdown(str(el.text)))];
    }
    case "FactSet":
      return [spacing, h("dl", { class: "pv-factset", "data-card": "FactSet" },
        list(el.facts).map((f) => [h("dt", null, markdown(str(f.title))), h("dd", null, markdown(str(f.value)))]))];
    case "ColumnSet":
      return [spacing, h("div", { class: "pv-columns", "data-card": "ColumnSet" },
        list(el.columns).map((c) => h("div", { class: "pv-column" }, list(c && c.items).map(cardElement))))];
    case "Container":
      return [spacing, h("div", { class: "pv-container", "data-card": "Container" }, list(el.items).map(cardElement))];
    case "ActionSet":
      return [spacing, h("div", { class: "pv-actions", "data-card": "ActionSet" }, list(el.actions).map(cardAction))];
    case "Image":
      return h("p", { class: "pv-muted", "data-card": "Image" }, `[image: ${str(el.altText) || str(el.url)}]`);
    default:
      return h("p", { class: "pv-muted", "data-card": str(el.type) }, `[${str(el.type) || "unknown"}]`);
  }
}

// messageCard shows a legacy Office 365 connector card: its title, text
// and sections with their facts, under its theme colour.
function messageCard(body) {
  const el = h("div", { class: "pv-teams pv-attachment", "data-preview-kind": "teams", "data-card": "MessageCard" },
    body.title ? h("p", { class: "pv-textblock pv-size-medium pv-bolder" }, markdown(str(body.title))) : null,
    body.text ? h("p", { class: "pv-textblock" }, markdown(str(body.text))) : null,
    list(body.sections).map((sec) => h("div", { class: "pv-container" },
      sec.activityTitle ? h("p", { class: "pv-bolder" }, markdown(str(sec.activityTitle))) : null,
      sec.activitySubtitle ? h("p", { class: "pv-subtle" }, markdown(str(sec.activitySubtitle))) : null,
      sec.text ? h("p", null, markdown(str(sec.text))) : null,
      list(sec.facts).length > 0 ? h("dl", { class: "pv-factset", "data-card": "FactSet" },
        list(sec.facts).map((f) => [h("dt", null, markdown(str(f.name))), h("dd", null, markdown(str(f.value)))])) : null)),
    list(body.potentialAction).length > 0 ? h("div", { class: "pv-actions" }, list(body.potentialAction).map((a) => h("span", { class: "pv-button" }, str(a && a.name) || "Action"))) : null);
  setBarColour(el, cssHex(body.themeColor));
  return el;
}

function cardAction(a) {
  return h("span", { class: "pv-button", title: str(a && a.url) }, str(a && a.title) || "Action");
}

/* ---- Email ------------------------------------------------------------ */

// An email as the previews show it: the sender, the recipients, the
// subject, and its HTML or text, or the template and data it is made from.
// emailPreviews shows each email of a body (a batch is an array).
function emailPreviews(body, read) {
  const emails = (Array.isArray(body) ? body : [body]).map(read).filter(Boolean);
  if (emails.length === 0) return null;
  const shown = emails.slice(0, 3).map(emailView);
  const more = emails.length > 3 ? h("p", { class: "pv-muted" }, `… and ${emails.length - 3} more in this batch.`) : null;
  return h("div", { class: "stack" }, shown, more);
}

function resendEmail(b) {
  if (!b || typeof b !== "object" || (!b.subject && !b.html && !b.text)) return null;
  return { from: str(b.from), to: addresses(b.to), subject: str(b.subject), html: str(b.html), text: str(b.text) };
}

function sendgridEmail(b) {
  if (!b || typeof b !== "object" || !Array.isArray(b.personalizations)) return null;
  const p = b.personalizations[0] || {};
  const content = list(b.content);
  const of = (type) => str((content.find((c) => c && c.type === type) || {}).value);
  return {
    from: addresses(b.from), to: addresses(p.to), subject: str(p.subject || b.subject),
    html: of("text/html"), text: of("text/plain"),
    template: b.template_id ? str(b.template_id) : "", data: p.dynamic_template_data,
  };
}

function loopsEmail(b) {
  if (!b || typeof b !== "object" || !b.email) return null;
  if (b.transactionalId) return { to: str(b.email), template: str(b.transactionalId), data: b.dataVariables };
  if (b.eventName) return { to: str(b.email), event: str(b.eventName), data: b.eventProperties };
  return null;
}

// addresses shows one address, a list, or {email, name} objects as text.
function addresses(v) {
  const one = (a) => (a && typeof a === "object" ? (a.name ? `${str(a.name)} <${str(a.email)}>` : str(a.email)) : str(a));
  return Array.isArray(v) ? v.map(one).join(", ") : one(v);
}

function emailView(m) {
  const rows = [["From", m.from], ["To", m.to], ["Subject", m.subject], ["Template", m.template], ["Event", m.event]].filter(([, v]) => v);
  return h("div", { class: "pv-email", "data-preview-kind": "email" },
    h("dl", { class: "pv-email-head" }, rows.map(([k, v]) => [h("dt", null, k), h("dd", { "data-email": k.toLowerCase() }, v)])),
    emailBody(m));
}

// STYLED finds what the preview cannot show of an email's HTML: inline
// styles, style sheets and remote images (the iframe inherits the
// dashboard's Content-Security-Policy, which allows none of them).
const STYLED = /<style|\sstyle\s*=|<link|<img/i;

function emailBody(m) {
  if (m.html) {
    return [
      h("iframe", { class: "pv-email-frame", sandbox: "", srcdoc: m.html, title: `Email preview: ${m.subject || "no subject"}`, referrerpolicy: "no-referrer", "data-email-html": "" }),
      STYLED.test(m.html) ? h("p", { class: "pv-muted", "data-email-unstyled": "" }, "Shown without the email's own styles and remote images: the dashboard's security policy keeps them out of the preview. The email itself keeps them.") : null,
    ];
  }
  if (m.text) return h("pre", { class: "pv-email-text", "data-email-text": "" }, m.text);
  if (m.data && typeof m.data === "object") {
    return h("div", null,
      h("p", { class: "pv-muted" }, m.event ? "The event starts the tool's own emails; these are its properties:" : "The tool fills its stored template with these values:"),
      h("dl", { class: "pv-factset", "data-email-data": "" }, Object.entries(m.data).map(([k, v]) => [h("dt", null, k), h("dd", null, typeof v === "object" ? JSON.stringify(v) : str(v))])));
  }
  return h("p", { class: "pv-muted" }, "No body.");
}

/* ---- Shared ----------------------------------------------------------- */

// markup splits text at re's matches: node(match) makes each match's
// node, and the text between goes in as text (through plain, if given).
function markup(text, re, node, plain = (s) => s) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(plain(text.slice(last, m.index)));
    out.push(node(m));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(plain(text.slice(last)));
  return out;
}

// link is a link to an http(s) or mailto URL, opened apart from the
// dashboard; any other URL is shown as text.
function link(url, text) {
  if (!/^(https?:|mailto:)/i.test(url)) return h("span", { class: "pv-link" }, text);
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, text);
}

// cssHex returns c when it is a hex colour ("#36a64f" or "36a64f"), else "".
function cssHex(c) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(str(c));
  return m ? `#${m[1].toLowerCase()}` : "";
}

// setBarColour colours the bar at an element's left, through the CSS
// object model (the policy allows no style attribute), and notes it.
function setBarColour(el, colour) {
  if (!colour) return;
  el.style.borderLeftColor = colour;
  el.dataset.colour = colour;
}

// "Add to Slack": instead of pasting an incoming webhook's URL, the user
// lets Slack make one. The server runs the OAuth flow (httpapi
// slackoauth.go); its last page, on this origin, posts the new webhook to
// the window that opened it, and this fills the form's webhook URL.

import { h } from "./dom.js";

const RESULT_TYPE = "hookbridge.slack_oauth";

/**
 * addToSlack is the "Add to Slack" button of a Slack form, for the
 * credentials form's URL credential input; null for other integrations.
 */
export function addToSlack(app, integration, credentials) {
  const input = integration.id === "slack" && credentials.element.querySelector("[data-url-credential]");
  return input ? slackConnect(app, input) : null;
}

/**
 * slackConnect makes the "Add to Slack" button for input (the webhook URL
 * credential's). It stays hidden unless the server offers the flow.
 */
export function slackConnect(app, input) {
  const status = h("span", { class: "small muted", role: "status", "aria-live": "polite", "data-slack-connect-status": "" });
  const button = h("button", { type: "button", class: "btn", "data-action": "add-to-slack" }, "Add to Slack");
  const element = h("div", { class: "row field", hidden: true, "data-slack-connect": "" },
    button, h("span", { class: "small muted" }, "or paste a webhook URL above."), status);
  app.slackOAuth().then((s) => { element.hidden = !(s && s.enabled); }, () => { element.hidden = true; });

  let popup = null;
  const onMessage = (e) => {
    if (e.origin !== window.location.origin || e.source !== popup || !e.data || e.data.type !== RESULT_TYPE) return;
    window.removeEventListener("message", onMessage);
    const { grant, error } = e.data;
    if (!grant || !grant.webhook_url) {
      status.textContent = `Not connected: ${(error && error.message) || "Slack gave no webhook"}.`;
      return;
    }
    input.value = grant.webhook_url;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const where = [grant.channel, grant.team && `in ${grant.team}`].filter(Boolean).join(" ");
    status.textContent = `Connected: Slack made a webhook${where ? ` for ${where}` : ""}, filled in above.`;
  };
  button.addEventListener("click", async () => {
    // The window opens on the click itself, so that no pop-up blocker
    // stops it, and goes to Slack once the server answers.
    popup = window.open("about:blank", "hookbridge-add-to-slack", "popup,width=640,height=760");
    if (!popup) {
      status.textContent = "The browser blocked the Slack window: allow pop-ups for this page, or paste a webhook URL.";
      return;
    }
    status.textContent = "Waiting for Slack…";
    try {
      const start = await app.startSlackOAuth();
      window.addEventListener("message", onMessage);
      popup.location.href = start.authorize_url;
    } catch (err) {
      popup.close();
      status.textContent = `Not connected: ${err.message}`;
    }
  });
  return element;
}

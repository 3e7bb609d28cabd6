// Sign-in: an API token (admin, or scoped to one app) is exchanged for an
// HttpOnly session cookie; the token itself is not kept by the page.

import { h, replace } from "../dom.js";
import { field } from "../ui.js";

export function loginPage({ client, onSignedIn }) {
  const token = h("input", { type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: false });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Sign in");
  const form = h("form", { "aria-labelledby": "signin-title" },
    field("API token", token, { help: "The admin token printed at first start (or set with HOOKBRIDGE_ADMIN_TOKEN), or a token for one app." }),
    error, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(error);
    submit.disabled = true;
    try {
      const session = await client.signIn(token.value);
      token.value = "";
      await onSignedIn(session);
    } catch (err) {
      replace(error, err.status === 401 ? "That token is not valid. Check it and try again." : err.message);
      token.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return h("main", { id: "main", class: "signin", tabindex: "-1" },
    h("div", { class: "card" },
      h("div", { class: "brand" }, h("img", { src: `${document.getElementById("app").dataset.assets}/logo.svg`, alt: "", width: 30, height: 30 }), "hookbridge"),
      h("h1", { id: "signin-title" }, "Sign in"),
      h("p", { class: "lede" }, "Webhooks in, integrations out. Sign in with an API token to manage endpoints, events and sources."),
      form));
}

/**
 * signInAgainDialog asks for a token in a modal dialog over the page, for
 * a session that has ended while the page was open. It resolves with the
 * new session, or null when the person goes to the sign-in page instead
 * (or signs in with a token that may not see what the page shows).
 */
export function signInAgainDialog({ client, accept }) {
  return new Promise((resolve) => {
    const token = h("input", { type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: false });
    const error = h("p", { class: "form-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-action": "sign-in-again" }, "Sign in and continue");
    const leave = h("button", { type: "button", class: "btn", "data-action": "leave-to-sign-in" }, "Go to the sign-in page");
    const form = h("form", null,
      field("API token", token, { help: "Your work on this page is kept: it carries on once you are signed in." }),
      error, h("div", { class: "actions" }, submit, leave));
    const dialog = h("dialog", { class: "reauth", "aria-labelledby": "reauth-title", "data-dialog": "sign-in-again" },
      h("h2", { id: "reauth-title" }, "Your session has ended"),
      h("p", null, "Sign in again to finish what you were doing."),
      form);
    const finish = (session) => {
      dialog.close();
      dialog.remove();
      resolve(session);
    };
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(error);
      submit.disabled = true;
      try {
        const session = await client.signIn(token.value);
        token.value = "";
        if (!accept(session)) {
          replace(error, "That token is for another app: it cannot see this page. Use a token of this app, or go to the sign-in page.");
          return;
        }
        finish(session);
      } catch (err) {
        replace(error, err.status === 401 ? "That token is not valid. Check it and try again." : err.message);
        token.focus();
      } finally {
        submit.disabled = false;
      }
    });
    leave.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    token.focus();
  });
}

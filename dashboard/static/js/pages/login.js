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

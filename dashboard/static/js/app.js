// The dashboard's entry point: checks the session, draws the frame (top
// bar, app picker, sign-out) and routes paths to pages. Pages are modules
// under pages/; each exports a function that takes the page context and
// returns the page's element.

import { Client } from "./api.js";
import { Catalog } from "./catalog.js";
import { h, replace } from "./dom.js";
import { errorNotice, loading } from "./ui.js";
import { loginPage, signInAgainDialog } from "./pages/login.js";
import { endpointsPage } from "./pages/endpoints.js";
import { newEndpointPage } from "./pages/new-endpoint.js";
import { endpointPage } from "./pages/endpoint.js";
import { messagesPage, messagePage } from "./pages/messages.js";
import { sourcesPage } from "./pages/sources.js";
import { overviewPage } from "./pages/overview.js";
import { deliveriesLogPage } from "./pages/deliveries-log.js";
import { eventTypesPage } from "./pages/event-types.js";
import { settingsPage } from "./pages/settings.js";
import { customerPage, customerSearch } from "./pages/customer.js";

const ROUTES = [
  { path: /^\/apps\/([^/]+)\/endpoints$/, page: endpointsPage, section: "endpoints" },
  { path: /^\/apps\/([^/]+)\/endpoints\/new$/, page: newEndpointPage, section: "endpoints" },
  { path: /^\/apps\/([^/]+)\/endpoints\/([^/]+)$/, page: endpointPage, section: "endpoints" },
  { path: /^\/apps\/([^/]+)\/messages$/, page: messagesPage, section: "messages" },
  { path: /^\/apps\/([^/]+)\/messages\/([^/]+)$/, page: messagePage, section: "messages" },
  { path: /^\/apps\/([^/]+)\/sources$/, page: sourcesPage, section: "sources" },
  { path: /^\/apps\/([^/]+)\/overview$/, page: overviewPage, section: "overview" },
  { path: /^\/apps\/([^/]+)\/deliveries$/, page: deliveriesLogPage, section: "deliveries" },
  { path: /^\/apps\/([^/]+)\/event-types$/, page: eventTypesPage, section: "event-types" },
  { path: /^\/apps\/([^/]+)\/settings$/, page: settingsPage, section: "settings" },
  { path: /^\/apps\/([^/]+)\/customers$/, page: customerPage, section: "messages" },
  { path: /^\/apps\/([^/]+)\/customers\/([^/]+)$/, page: customerPage, section: "messages" },
];

const SECTIONS = [["overview", "Overview"], ["endpoints", "Endpoints"], ["messages", "Messages"], ["deliveries", "Deliveries"], ["sources", "Sources"], ["event-types", "Event types"], ["settings", "Settings"]];

class Dashboard {
  constructor(root) {
    this.root = root;
    this.client = new Client();
    this.client.onSignedOut = () => this.signedOut();
    this.client.signInAgain = () => this.signInAgain();
    this.reauth = null;
    this.session = null;
    this.apps = [];
    this.catalog = null;
    this.leave = [];
    this.flash = null;
    this.afterSignIn = "";
  }

  async start() {
    document.addEventListener("click", (e) => this.interceptLink(e));
    window.addEventListener("popstate", () => this.route());
    try {
      await this.startSession(await this.client.session());
    } catch {
      this.session = null;
    }
    this.route();
  }

  async startSession(session) {
    this.session = session;
    this.catalog = new Catalog(this.client);
    this.apps = session.admin
      ? (await this.client.get("/api/v1/apps")).data
      : [{ id: session.app_id, name: session.app_id }];
  }

  /**
   * signInAgain asks, in a dialog over the page, for a token when the
   * session has ended (expired, or ended elsewhere), so that what is on
   * the page stays. It resolves true once signed in again to a session
   * that may see the app on screen; calls that fail meanwhile share one
   * dialog.
   */
  signInAgain() {
    if (!this.session) return Promise.resolve(false);
    this.reauth ??= signInAgainDialog({
      client: this.client,
      accept: (session) => session.admin || session.app_id === this.session.app_id,
    }).then(async (session) => {
      this.reauth = null;
      if (!session) return false;
      this.session = session;
      return true;
    });
    return this.reauth;
  }

  signedOut() {
    if (!this.session) return;
    this.session = null;
    this.afterSignIn = location.pathname + location.search;
    this.navigate("/login", { replace: true });
  }

  interceptLink(e) {
    const a = e.target.closest("a[href]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.target || a.hasAttribute("download") || a.origin !== location.origin) return;
    if (a.pathname.startsWith("/api/") || a.pathname.startsWith("/assets/")) return;
    e.preventDefault();
    this.navigate(a.pathname + a.search);
  }

  /** navigate goes to a path; flash is handed to the next page once (secrets shown once travel this way, never in the URL or history). */
  navigate(path, { replace: replaceEntry = false, flash = null } = {}) {
    if (replaceEntry) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
    this.flash = flash;
    this.route();
  }

  defaultApp() {
    const stored = localStorage.getItem("hookbridge.app");
    if (stored && this.apps.some((a) => a.id === stored)) return stored;
    if (this.apps.some((a) => a.id === "default")) return "default";
    return this.apps.length > 0 ? this.apps[0].id : "default";
  }

  async route() {
    for (const fn of this.leave.splice(0)) fn();
    const path = location.pathname;
    if (!this.session) {
      if (path !== "/login") this.afterSignIn = path + location.search;
      history.replaceState(null, "", "/login");
      return this.renderLogin();
    }
    const match = ROUTES.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
    if (!match) {
      return this.navigate(`/apps/${encodeURIComponent(this.defaultApp())}/endpoints`, { replace: true });
    }
    const [, appID, ...params] = match.m.map((p) => p && decodeURIComponent(p));
    if (!this.apps.some((a) => a.id === appID) && this.session.admin) {
      // An app made since sign-in: an admin sees every app.
      try {
        this.apps = (await this.client.get("/api/v1/apps")).data;
      } catch {
        // Signed out meanwhile, or the server is away: the page says so below.
      }
    }
    if (!this.session) return undefined;
    const main = this.renderFrame(appID, match.r.section);
    if (!this.apps.some((a) => a.id === appID)) return this.renderUnknownApp(main, appID);
    localStorage.setItem("hookbridge.app", appID);
    const flash = this.flash;
    this.flash = null;
    return this.renderPage(main, match.r.page, this.context(appID, params, flash));
  }

  /** renderPage draws a page into main, then puts the focus on its heading for screen readers. */
  async renderPage(main, page, ctx) {
    try {
      await this.catalog.load();
      const content = await page(ctx);
      if (!main.isConnected) return;
      replace(main, content);
      const heading = main.querySelector("h1");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
      window.scrollTo(0, 0);
    } catch (err) {
      if (!main.isConnected || err.status === 401) return;
      replace(main, h("h1", null, err.status === 404 ? "Not found" : "Something went wrong"), errorNotice(err));
    }
  }

  renderUnknownApp(main, appID) {
    document.title = "App not available · hookbridge";
    replace(main, h("h1", null, "App not available"),
      h("p", { class: "lede" }, `There is no app “${appID}” that this sign-in may see. `,
        h("a", { href: `/apps/${encodeURIComponent(this.defaultApp())}/endpoints` }, "Go to your endpoints"), "."));
  }

  context(appID, params, flash) {
    const base = `/apps/${encodeURIComponent(appID)}`;
    return {
      client: this.client,
      app: this.client.app(appID),
      appID,
      params,
      query: new URLSearchParams(location.search),
      session: this.session,
      catalog: this.catalog,
      flash,
      link: (...parts) => [base, ...parts.map(encodeURIComponent)].join("/"),
      navigate: (path, opts) => this.navigate(path, opts),
      onLeave: (fn) => this.leave.push(fn),
      setTitle: (title) => { document.title = `${title} · hookbridge`; },
    };
  }

  renderLogin() {
    document.title = "Sign in · hookbridge";
    const page = loginPage({
      client: this.client,
      onSignedIn: async (session) => {
        await this.startSession(session);
        const next = this.afterSignIn && this.afterSignIn !== "/login" ? this.afterSignIn : "/";
        this.afterSignIn = "";
        this.navigate(next, { replace: true });
      },
    });
    replace(this.root, page);
    const input = page.querySelector("input");
    if (input) input.focus();
  }

  renderFrame(appID, section) {
    const base = `/apps/${encodeURIComponent(appID)}`;
    const nav = h("nav", { class: "nav", "aria-label": "Main" }, SECTIONS.map(([key, label]) =>
      h("a", { href: `${base}/${key}`, "aria-current": key === section ? "page" : false }, label)));
    const main = h("main", { id: "main", tabindex: "-1" }, loading());
    replace(this.root,
      h("header", { class: "topbar" }, h("div", { class: "topbar-inner" },
        h("a", { class: "brand", href: `${base}/endpoints` }, h("img", { src: this.assets("logo.svg"), alt: "", width: 26, height: 26 }), "hookbridge"),
        nav,
        customerSearch(appID, (path) => this.navigate(path)),
        this.sessionControls(appID, section))),
      main);
    return main;
  }

  sessionControls(appID, section) {
    const select = h("select", { id: "app-picker", name: "app" },
      this.apps.map((a) => h("option", { value: a.id }, a.name && a.name !== a.id ? `${a.name} (${a.id})` : a.id)));
    select.value = appID;
    select.disabled = !this.session.admin;
    select.addEventListener("change", () => this.navigate(`/apps/${encodeURIComponent(select.value)}/${section}`));
    const signOut = h("button", { type: "button", class: "btn-link", "data-action": "sign-out" }, "Sign out");
    signOut.addEventListener("click", async () => {
      try {
        await this.client.signOut();
      } finally {
        this.session = null;
        this.afterSignIn = "";
        this.navigate("/login", { replace: true });
      }
    });
    return h("div", { class: "session" },
      h("label", { for: "app-picker" }, "App"), select,
      h("span", { class: "who", title: this.session.admin ? "Admin token: sees every app" : `App token for ${this.session.app_id}` }, this.session.token_name || ""),
      signOut);
  }

  assets(file) {
    return `${this.root.dataset.assets}/${file}`;
  }
}

const root = document.getElementById("app");
new Dashboard(root).start();

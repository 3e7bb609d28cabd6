// The JSON API client. Every call goes to the same origin with the session
// cookie; calls that change something carry the session's CSRF token in
// X-CSRF-Token, without which the server refuses them.

/** ApiError is a failed call: the HTTP status and the server's error body. */
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `request failed (HTTP ${status})`);
    this.status = status;
    this.code = err.code || "";
    this.fields = err.fields || [];
    // The save check's findings (code transformation_rejected).
    this.problems = err.problems || [];
    this.notChecked = err.not_checked || [];
  }
}

/** Client talks to the API on behalf of one signed-in session. */
export class Client {
  constructor() {
    this.csrf = "";
    this.onSignedOut = () => {};
    // signInAgain, when set, asks the person to sign in again in place
    // and resolves true once they have; a call refused for an ended
    // session then runs again, so the action the person started resumes.
    this.signInAgain = null;
  }

  async request(method, path, body, retried = false) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new ApiError(res.status, data);
      if (res.status === 401 && !path.startsWith("/auth/")) {
        if (!retried && this.signInAgain && await this.signInAgain()) return this.request(method, path, body, true);
        this.onSignedOut(err);
      }
      throw err;
    }
    // An empty list may come as null.
    if (data && typeof data === "object" && "data" in data && data.data === null) data.data = [];
    return data;
  }

  get(path, query) { return this.request("GET", withQuery(path, query)); }
  post(path, body = {}) { return this.request("POST", path, body); }
  patch(path, body) { return this.request("PATCH", path, body); }
  del(path) { return this.request("DELETE", path); }

  // Sessions.
  async signIn(token) {
    const s = await this.post("/auth/login", { token });
    this.csrf = s.csrf_token;
    return s;
  }
  async session() {
    const s = await this.get("/auth/session");
    this.csrf = s.csrf_token;
    return s;
  }
  async signOut() {
    await this.post("/auth/logout");
    this.csrf = "";
  }

  /** app returns the calls scoped to one app. */
  app(appID) { return new AppClient(this, appID); }
}

/** AppClient is the API of one app. */
class AppClient {
  constructor(client, appID) {
    this.c = client;
    this.id = appID;
    this.base = `/api/v1/apps/${encodeURIComponent(appID)}`;
  }
  path(...parts) { return [this.base, ...parts.map(encodeURIComponent)].join("/"); }

  endpoints() { return this.c.get(this.path("endpoints")).then((r) => r.data); }
  endpoint(id) { return this.c.get(this.path("endpoints", id)); }
  createEndpoint(body) { return this.c.post(this.path("endpoints"), body); }
  updateEndpoint(id, body) { return this.c.patch(this.path("endpoints", id), body); }
  deleteEndpoint(id) { return this.c.del(this.path("endpoints", id)); }
  endpointDeliveries(id, filter) { return this.c.get(this.path("endpoints", id, "deliveries"), filter); }
  endpointStats(id, query) { return this.c.get(this.path("endpoints", id, "stats"), query); }
  recover(id, since, until) { return this.c.post(this.path("endpoints", id, "recover"), until ? { since, until } : { since }); }

  deliveries(filter) { return this.c.get(this.path("deliveries"), filter); }
  attempts(deliveryID) { return this.c.get(this.path("deliveries", deliveryID, "attempts")).then((r) => r.data); }
  retry(deliveryID) { return this.c.post(this.path("deliveries", deliveryID, "retry")); }

  messages(filter) { return this.c.get(this.path("messages"), filter); }
  message(id) { return this.c.get(this.path("messages", id)); }
  createMessage(body) { return this.c.post(this.path("messages"), body); }

  test(body) { return this.c.post(this.path("transformations", "test"), body); }

  /** slackOAuth says whether this server offers "Add to Slack". */
  slackOAuth() { return this.c.get("/api/v1/integrations/slack/oauth"); }
  /** startSlackOAuth starts "Add to Slack" for this app: it answers Slack's consent URL. */
  startSlackOAuth() { return this.c.post(this.path("integrations", "slack", "oauth")); }

  sources() { return this.c.get(this.path("sources")).then((r) => r.data); }
  createSource(body) { return this.c.post(this.path("sources"), body); }
  rotateSourceSecret(id) { return this.c.post(this.path("sources", id, "rotate-secret")); }
  rotateEndpointSecret(id) { return this.c.post(this.path("endpoints", id, "rotate-secret")); }
  deleteSource(id) { return this.c.del(this.path("sources", id)); }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

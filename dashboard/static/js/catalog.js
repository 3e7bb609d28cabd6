// The read-only catalogues (integrations and event types), fetched once per
// sign-in.

export class Catalog {
  constructor(client) {
    this.client = client;
    this.loaded = null;
  }

  /** load fetches both catalogues, once. */
  load() {
    this.loaded ??= Promise.all([
      this.client.get("/api/v1/integrations"),
      this.client.get("/api/v1/event-types"),
    ]).then(([integrations, eventTypes]) => {
      this.integrations = integrations.data;
      this.eventTypes = eventTypes.data;
      this.byID = new Map(this.integrations.map((i) => [i.id, i]));
      this.eventByName = new Map(this.eventTypes.map((e) => [e.name, e]));
      return this;
    }).catch((err) => {
      this.loaded = null;
      throw err;
    });
    return this.loaded;
  }

  integration(id) {
    return this.byID.get(id) || { id, name: id, credentials: [], templates: [], hosts: [] };
  }

  /**
   * groups returns the integrations by catalogue group, in GROUP_ORDER;
   * groups the order does not know come after, in catalogue order.
   */
  groups() {
    return groupIntegrations(this.integrations);
  }

  /** categories groups event types by category, in catalogue order. */
  categories() {
    const groups = new Map();
    for (const et of this.eventTypes) {
      if (!groups.has(et.category)) groups.set(et.category, []);
      groups.get(et.category).push(et);
    }
    return groups;
  }
}

/**
 * GROUP_ORDER is the order of the Add Endpoint picker's groups: the
 * catalogue's own display order (the Group constants in integration.go).
 * Plain URL comes first: it needs no account with any tool, and it is the
 * destination most people try first.
 */
export const GROUP_ORDER = ["Plain URL", "Analytics", "Customer messaging", "Team notifications", "Automation", "Email", "CRM"];

/** groupOf is an integration's catalogue group; one without a group is a plain URL if it is the webhook, else "Other". */
export function groupOf(integration) {
  if (integration.group) return integration.group;
  return isPlainWebhook(integration) ? "Plain URL" : "Other";
}

/** groupIntegrations returns [group, integrations] pairs in GROUP_ORDER, unknown groups last, each list in catalogue order. */
export function groupIntegrations(integrations) {
  const groups = new Map(GROUP_ORDER.map((g) => [g, []]));
  for (const i of integrations) {
    const g = groupOf(i);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(i);
  }
  return [...groups].filter(([, list]) => list.length > 0);
}

/**
 * destinationHost is the host an endpoint's requests start out for: its
 * URL's, else its URL credential's (masked past the host, which the API
 * keeps), else the integration's default URL's; "" if none is known.
 */
export function destinationHost(ep, integration) {
  const credential = integration.url_credential ? (ep.credentials || {})[integration.url_credential] : "";
  for (const url of [ep.url, credential, integration.default_url]) {
    if (!url) continue;
    try {
      return new URL(url).host;
    } catch {
      // a masked or partial value: try the next
    }
  }
  return "";
}

/** isPlainWebhook tells the plain-URL destination from tool integrations. */
export function isPlainWebhook(integration) {
  return integration.id === "webhook";
}

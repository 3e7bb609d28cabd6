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

/** isPlainWebhook tells the plain-URL destination from tool integrations. */
export function isPlainWebhook(integration) {
  return integration.id === "webhook";
}

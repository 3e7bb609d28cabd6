// Drafts kept in the browser's sessionStorage: what a person has typed
// into a form outlives a reload, or a session that ends before they save.
// A draft holds only what may be kept in the browser: never a secret.

/** draftStore keeps one draft under key; a broken or missing entry reads as null. */
export function draftStore(key) {
  return {
    load() {
      try {
        const value = JSON.parse(sessionStorage.getItem(key) || "null");
        return value && typeof value === "object" ? value : null;
      } catch {
        return null;
      }
    },
    save(value) {
      try {
        sessionStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Storage full or refused: the form works without a draft.
      }
    },
    clear() {
      sessionStorage.removeItem(key);
    },
  };
}

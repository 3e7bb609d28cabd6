// Formatting for display: times, durations, JSON, statuses.

import { h } from "./dom.js";

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** ago says how long ago a time was: "3 minutes ago". */
export function ago(iso, now = Date.now()) {
  if (!iso) return "never";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, "second");
  if (abs < 2700) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 79200) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

/** when is a <time> element: relative text, exact time on hover and for assistive tech. Its text moves on with the clock (see refreshRelativeTimes). */
export function when(iso) {
  if (!iso) return h("span", { class: "muted" }, "never");
  const exact = absolute.format(new Date(iso));
  startRelativeClock();
  return h("time", { datetime: iso, title: exact, "data-relative": "" }, ago(iso));
}

/** RELATIVE_REFRESH_MS is how often relative times ("2 minutes ago") are redrawn. */
export const RELATIVE_REFRESH_MS = 30000;

/** refreshRelativeTimes redraws every relative time in root for the time now. */
export function refreshRelativeTimes(root = document, now = Date.now()) {
  for (const el of root.querySelectorAll("time[data-relative]")) {
    const text = ago(el.dateTime, now);
    if (el.textContent !== text) el.textContent = text;
  }
}

let relativeClock = 0;
// startRelativeClock redraws relative times every RELATIVE_REFRESH_MS and
// whenever the tab becomes visible again; it starts once per page.
function startRelativeClock() {
  if (relativeClock) return;
  relativeClock = setInterval(() => refreshRelativeTimes(), RELATIVE_REFRESH_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshRelativeTimes();
  });
}

export function exactTime(iso) {
  return iso ? absolute.format(new Date(iso)) : "";
}

/** ms formats a duration in milliseconds. */
export function ms(value) {
  if (value === undefined || value === null) return "";
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

/** pretty renders JSON (a value or a JSON string) indented. */
export function pretty(value) {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

const DELIVERY_BADGES = {
  succeeded: ["badge-ok", "Succeeded"],
  failed: ["badge-bad", "Failed"],
  pending: ["badge-warn", "Pending"],
  skipped: ["", "Skipped"],
  cancelled: ["", "Cancelled"],
};

/** deliveryBadge shows a delivery's status; a pending delivery that has failed before says "Retrying". */
export function deliveryBadge(d) {
  let [cls, text] = DELIVERY_BADGES[d.status] || ["", d.status];
  if (d.status === "pending" && d.attempts > 0) text = "Retrying";
  return h("span", { class: `badge ${cls}`, "data-status": d.status }, text);
}

// The statuses of an endpoint's condition (see health.js).
const ENDPOINT_BADGES = {
  healthy: ["badge-ok", "Healthy"],
  paused: ["badge-warn", "Paused"],
  retrying: ["badge-warn", "Retrying"],
  failing: ["badge-bad", "Failing"],
  disabled: ["", "Disabled"],
  // Shown until the condition is known.
  enabled: ["", "Enabled"],
};

export function endpointBadge(status) {
  const [cls, text] = ENDPOINT_BADGES[status] || ["", status];
  return h("span", { class: `badge ${cls}`, "data-status": status }, text);
}

/** toRFC3339 turns a datetime-local input value (local time) into an RFC 3339 UTC time. */
export function toRFC3339(localValue) {
  if (!localValue) return "";
  const d = new Date(localValue);
  if (Number.isNaN(d.getTime())) return "";
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** toLocalInput turns a Date into a datetime-local input value. */
export function toLocalInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** hostOf returns the host of a URL, or the text itself. */
export function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url || "";
  }
}

/** customerOf finds who an event is about, from the platform's envelope. */
export function customerOf(payload) {
  const data = payload && payload.data;
  const c = data && data.customer;
  if (!c) return "";
  return c.email || c.customer_id || c.name || "";
}

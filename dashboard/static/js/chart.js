// A small stacked bar chart of deliveries over time, drawn as inline SVG.

import { s } from "./dom.js";

/** The windows a chart can show: their length and how many bars. */
export const WINDOWS = {
  "1h": { label: "Last hour", span: 3600e3, bars: 12 },
  "24h": { label: "Last 24 hours", span: 86400e3, bars: 24 },
  "7d": { label: "Last 7 days", span: 7 * 86400e3, bars: 7 },
};

/** bucket counts deliveries per bar: succeeded, failed, and the rest. */
export function bucket(deliveries, windowKey, now = Date.now()) {
  const { span, bars } = WINDOWS[windowKey];
  const width = span / bars;
  const start = now - span;
  const buckets = Array.from({ length: bars }, (_, i) => ({ start: start + i * width, ok: 0, bad: 0, other: 0 }));
  for (const d of deliveries) {
    const t = new Date(d.created_at).getTime();
    if (t < start || t > now) continue;
    const b = buckets[Math.min(bars - 1, Math.floor((t - start) / width))];
    if (d.status === "succeeded") b.ok++;
    else if (d.status === "failed") b.bad++;
    else b.other++;
  }
  return buckets;
}

const H = 150;
const PAD = { top: 10, right: 8, bottom: 22, left: 30 };

/**
 * deliveryChart draws the buckets, width pixels wide: the drawing is made
 * at the size it is shown, so its text keeps the page's size.
 */
export function deliveryChart(buckets, windowKey, width = 640) {
  const W = Math.max(280, Math.round(width));
  const max = Math.max(1, ...buckets.map((b) => b.ok + b.bad + b.other));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / buckets.length;
  const barW = Math.max(2, slot * 0.7);
  const y = (v) => PAD.top + innerH - (v / max) * innerH;
  const totals = buckets.reduce((t, b) => ({ ok: t.ok + b.ok, bad: t.bad + b.bad, other: t.other + b.other }), { ok: 0, bad: 0, other: 0 });
  const summary = `${WINDOWS[windowKey].label}: ${totals.ok} succeeded, ${totals.bad} failed, ${totals.other} pending or skipped.`;

  const svg = s("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": summary, "data-chart": windowKey },
    s("title", null, summary),
    s("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }),
    s("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y(max), y2: y(max) }),
    s("text", { class: "axis", x: PAD.left - 6, y: y(max) + 4, "text-anchor": "end" }, String(max)),
    s("text", { class: "axis", x: PAD.left - 6, y: y(0) + 4, "text-anchor": "end" }, "0"));

  if (totals.ok + totals.bad + totals.other === 0) {
    svg.append(s("text", { class: "axis", x: W / 2, y: PAD.top + innerH / 2, "text-anchor": "middle" }, "No deliveries in this period"));
  }
  const labelEvery = Math.ceil(buckets.length / Math.max(2, Math.floor(innerW / 80)));
  buckets.forEach((b, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const [key, cls] of [["ok", "bar-ok"], ["bad", "bar-bad"], ["other", "bar-other"]]) {
      const v = b[key];
      if (v === 0) continue;
      svg.append(s("rect", { class: cls, x: x.toFixed(1), y: y(base + v).toFixed(1), width: barW.toFixed(1), height: (y(base) - y(base + v)).toFixed(1), rx: 1.5 }));
      base += v;
    }
    if (i % labelEvery === 0) {
      svg.append(s("text", { class: "axis", x: (x + barW / 2).toFixed(1), y: H - 6, "text-anchor": "middle" }, tickLabel(b.start, windowKey)));
    }
  });
  return svg;
}

function tickLabel(ms, windowKey) {
  const d = new Date(ms);
  if (windowKey === "7d") return d.toLocaleDateString(undefined, { weekday: "short" });
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

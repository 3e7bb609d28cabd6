// Reading a handler's code for the event types it handles, so the form can
// offer them: a pasted handler usually handles other types than the
// template it replaced. This is a reading of the code's text, not of its
// meaning: it finds the string literals compared with eventType.

// A quoted name: "payment.succeeded", 'refund.created' or `dispute.won`.
const QUOTED = String.raw`(["'\x60])([A-Za-z0-9_.\-]+)\1`;
// An expression ending in eventType: webhook.eventType, eventType, w["eventType"] is not read.
const EVENT_TYPE = String.raw`(?:[A-Za-z_$][\w$]*\s*\.\s*)*eventType\b`;

const COMPARED_AFTER = new RegExp(`${EVENT_TYPE}\\s*[!=]==?\\s*${QUOTED}`, "g");
const COMPARED_BEFORE = new RegExp(`${QUOTED}\\s*[!=]==?\\s*${EVENT_TYPE}`, "g");
const INCLUDES = new RegExp(`\\[([^\\[\\]]*)\\]\\s*\\.\\s*includes\\s*\\(\\s*${EVENT_TYPE}\\s*\\)`, "g");
const SWITCH = new RegExp(`switch\\s*\\(\\s*${EVENT_TYPE}\\s*\\)\\s*\\{`, "g");
const CASE = new RegExp(`\\bcase\\s+${QUOTED}\\s*:`, "g");
const LITERAL = new RegExp(QUOTED, "g");

/**
 * eventTypesInCode returns the event type names a handler compares
 * eventType with, in the order they first appear: in `eventType === "x"`
 * (or !==, ==, and the operands swapped), in `switch (webhook.eventType)
 * { case "x": … }`, and in `["x", "y"].includes(webhook.eventType)`.
 */
export function eventTypesInCode(code) {
  const found = [];
  const add = (name, at) => found.push({ name, at });
  for (const m of code.matchAll(COMPARED_AFTER)) add(m[2], m.index);
  for (const m of code.matchAll(COMPARED_BEFORE)) add(m[2], m.index);
  for (const m of code.matchAll(INCLUDES)) {
    for (const lit of m[1].matchAll(LITERAL)) add(lit[2], m.index + lit.index);
  }
  for (const m of code.matchAll(SWITCH)) {
    const start = m.index + m[0].length;
    const body = code.slice(start, blockEnd(code, start));
    for (const c of body.matchAll(CASE)) add(c[2], start + c.index);
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.name))];
}

// blockEnd returns the index of the brace closing the block that starts
// at from (just after its opening brace), or the code's end.
function blockEnd(code, from) {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    if (code[i] === "{") depth++;
    else if (code[i] === "}" && --depth === 0) return i;
  }
  return code.length;
}

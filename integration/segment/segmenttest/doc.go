// Package segmenttest is a fake Segment HTTP Tracking API for tests, in the
// manner of net/http/httptest: a real server on loopback that answers the
// way Segment does and, because Segment's answers say little, records what
// it would have kept, dropped or deduplicated, so that a test can assert on
// what really reaches Segment.
//
// What it does, from Segment's documentation:
//   - POST /v1/identify, track, page, screen, group, alias and batch; other
//     paths are 404.
//   - 400 with a plain-text body for invalid JSON, a call or batch event
//     over 32 KB, a batch over 500 KB or over 2500 events.
//   - 200 {"success":true} for everything else — including calls Segment
//     then drops silently, which Dropped lists with the reason: no userId
//     or anonymousId; a track without event; a group without groupId; an
//     alias without previousId or userId; a batch item of unknown type; and
//     every call of an EU workspace sent to the US host (or the reverse).
//   - A batch's top-level context is merged into each of its events.
//   - Calls whose messageId was already accepted are Duplicates.
//   - Traits merges the traits of a user's accepted identify calls;
//     NumberTrait reads only JSON numbers ("29.99" is text to Segment's
//     destinations) and DateTrait only ISO 8601 strings (Segment's spec
//     writes dates that way; a number is no date to its destinations).
//   - 429 with Retry-After and X-RateLimit-Reset when rate limited
//     (RateLimitNext).
//
// Choices where the documentation is silent: a missing or wrong write key
// (Basic user name, or writeKey in the body) is answered 401 with a plain
// text body, so that tests of credential handling can fail; and a body
// without Content-Type application/json is 400.
package segmenttest

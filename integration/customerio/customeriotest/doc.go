// Package customeriotest is a fake Customer.io Track API for tests, in the
// manner of net/http/httptest: a real server on loopback that checks
// credentials and bodies the way Customer.io does and answers with its
// status codes and error shapes, so that a test proves what the real API
// would accept.
//
// What it enforces, from Customer.io's documentation:
//   - Basic authentication with the configured Site ID and API key; anything
//     else is 401 with no body.
//   - The routes POST /api/v2/entity, POST /api/v2/batch, PUT and DELETE
//     /api/v1/customers/{id}, POST /api/v1/customers/{id}/events,
//     POST /api/v1/events and GET /api/v1/accounts/region; others are 404.
//   - v2 operations: type person|object|delivery, exactly one person
//     identifier (id ≤ 150 bytes, email, phone, cio_id), a valid person
//     action, a name (≤ 100 bytes) for event/page/screen, an integer
//     timestamp, 32 KB per operation and 500 KB per batch. Errors are 400
//     {"errors":[{"reason","field","message"}]}; a batch with some invalid
//     operations is 207 {"errors":[{"batch_index",…}]} and the others are
//     accepted.
//   - v1 events need a name; v1 errors are 400 {"meta":{"errors":[…]}}.
//   - Events with an id already accepted are answered 200 but counted as
//     duplicates, as Customer.io deduplicates them.
//   - Profiles: identifies set people's attributes (see Profile), each
//     attribute keeping the value of the identify with the newest
//     timestamp, as Customer.io applies calls that arrive out of order; an
//     identify without a timestamp counts as sent on arrival. WithBatchOrder
//     applies a batch's operations in another order than sent, as
//     Customer.io may.
//   - Segment conditions: NumberAttribute reads only JSON numbers (a
//     numeric string is text), TimestampAttribute only unix seconds (ISO
//     8601 text and milliseconds do not match, per Customer.io's Timestamp
//     Conditions FAQ).
//   - Campaign triggers: an event timestamped more than 72 hours before it
//     arrives (by the fake's clock, WithClock) is stored but marked as
//     triggering no campaign (Op.TriggersCampaigns).
//   - Regions: a US account's request to the EU host is 401; an EU
//     account's request to the US host is accepted (the real API redirects
//     it). Only requests that name a Customer.io host in their Host header
//     (see Server.Client) are checked.
//
// Choices where the documentation is silent: a body without Content-Type
// application/json is 400 (reason "invalid_content_type"); the reason
// strings are this fake's own — match on status, field and batch_index,
// not on reason or message text. Attribute limits are not enforced: the
// real API accepts such requests and fails the update later.
package customeriotest

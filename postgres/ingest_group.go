package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/groupcommit"
)

// maxIngestGroup caps the messages stored together in one statement.
const maxIngestGroup = 128

// groupTimeout bounds the storing of the groups one caller stores for
// everyone in them.
const groupTimeout = 30 * time.Second

// newIngestGroup returns the group commit of s's ingests: the messages
// that concurrent CreateMessage calls bring at once are stored together in
// one statement, a message alone at once (see package groupcommit).
func newIngestGroup(s *Store) *groupcommit.Group[*hookbridge.Message, ingestResult] {
	return &groupcommit.Group[*hookbridge.Message, ingestResult]{
		Run: s.storeGroup, Max: maxIngestGroup, Timeout: groupTimeout,
	}
}

// ingestResult is what storing one message of a group did.
type ingestResult struct {
	queued  []*hookbridge.Delivery
	created bool
	err     error
}

// storeGroup stores a group of messages and returns each one's result. If
// the group's statement fails, each message is stored alone, so that one
// message cannot fail the others.
func (s *Store) storeGroup(ctx context.Context, group []*hookbridge.Message) []ingestResult {
	results, err := s.createMessages(ctx, group)
	if err == nil {
		return results
	}
	if len(group) == 1 {
		return []ingestResult{{err: err}}
	}
	s.listener.log.Warn("postgres: storing messages together failed; storing each alone", "messages", len(group), "err", err)
	results = make([]ingestResult, len(group))
	for i, m := range group {
		results[i] = s.storeGroup(ctx, []*hookbridge.Message{m})[0]
	}
	return results
}

// createMessagesQuery inserts each message ($1–$7, one array per column)
// unless its app holds its event id; then, for those it inserted, the
// deliveries $8 to the endpoints $9 with the ordering keys $10 of the
// messages $11, to each endpoint that still accepts its message — enabled,
// ordinary, of its app, subscribed to its event type: checked again and
// locked against deletion (FOR KEY SHARE, which does not block updates), so
// that DeleteEndpoint cannot miss a delivery queued meanwhile, and an
// endpoint disabled since it was read gets none; and files each message
// under its customer keys ($12 of the messages $13, the index of
// CustomerTimeline). It wakes the workers of other Stores if it queued any
// (channel $14; the notification names this Store, $15: its own process
// learns of the deliveries from CreateMessage's answer). One statement is
// one transaction: the notification is sent at its commit. It returns the
// ids of the messages and of the deliveries it inserted.
const createMessagesQuery = `
	WITH message AS (
		INSERT INTO messages (id, app_id, event_type, event_id, source_id, payload, created_at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[],
			$7::timestamptz[])
		ON CONFLICT ON CONSTRAINT messages_event_id_unique DO NOTHING
		RETURNING id, app_id, event_type, created_at
	), targets AS (
		SELECT id, app_id, event_types FROM endpoints
		WHERE id = ANY ($9::text[]) AND NOT disabled AND NOT operational
		FOR KEY SHARE
	), queued AS (
		INSERT INTO deliveries (id, app_id, message_id, endpoint_id, event_type, status,
			attempts, next_attempt_at, last_error, created_at, updated_at, ordering_key)
		SELECT d.id, message.app_id, message.id, d.endpoint_id, message.event_type, 'pending', 0,
			message.created_at, '', message.created_at, message.created_at, d.ordering_key
		FROM unnest($8::text[], $9::text[], $10::text[], $11::text[])
			AS d (id, endpoint_id, ordering_key, message_id)
			JOIN message ON message.id = d.message_id
			JOIN targets ON targets.id = d.endpoint_id AND targets.app_id = message.app_id
				AND (cardinality(targets.event_types) = 0 OR message.event_type = ANY (targets.event_types))
		RETURNING id
	), indexed AS (
		INSERT INTO message_customers (app_id, customer_key, message_id, created_at)
		SELECT message.app_id, k.key, message.id, message.created_at
		FROM unnest($12::text[], $13::text[]) AS k (key, message_id)
			JOIN message ON message.id = k.message_id
	)
	SELECT ARRAY (SELECT id FROM message), ARRAY (SELECT id FROM queued),
		(SELECT count(*) FROM (SELECT pg_notify($14, $15) FROM queued LIMIT 1) AS woken)`

// createMessages stores a group of messages: it reads the endpoints of
// their apps in one query, then stores them with insertMessages.
func (s *Store) createMessages(ctx context.Context, group []*hookbridge.Message) ([]ingestResult, error) {
	byApp, err := s.fanOutEndpoints(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("read endpoints: %w", err)
	}
	return s.insertMessages(ctx, group, byApp)
}

// insertMessages stores a group of messages with createMessagesQuery, each
// queued to those of its app's endpoints in byApp that accept its event
// type, and returns each message's result: a message whose event id its
// app held already (or that came earlier in the group) is not created, and
// Store.CreateMessage gives it the stored one.
func (s *Store) insertMessages(ctx context.Context, group []*hookbridge.Message, byApp map[string][]*hookbridge.Endpoint) ([]ingestResult, error) {
	n := len(group)
	var (
		ids, apps, types, eventIDs, sources = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		payloads                            = make([][]byte, n)
		created                             = make([]time.Time, n)
		planned                             = make([][]*hookbridge.Delivery, n)
		all                                 []*hookbridge.Delivery
		indexKeys, indexedOf                []string
	)
	for i, m := range group {
		ids[i], apps[i], types[i], eventIDs[i], sources[i] = m.ID, m.AppID, m.EventType, m.EventID, m.SourceID
		payloads[i], created[i] = payloadBytes(m.Payload), m.CreatedAt
		var targets []*hookbridge.Endpoint
		for _, e := range byApp[m.AppID] {
			if e.Accepts(m.EventType) {
				targets = append(targets, e)
			}
		}
		planned[i] = newDeliveries(m, targets, m.CreatedAt)
		all = append(all, planned[i]...)
		for _, key := range customerKeys(m) {
			indexKeys, indexedOf = append(indexKeys, key), append(indexedOf, m.ID)
		}
	}
	deliveryIDs, endpointIDs, orderingKeys, messageOf := deliveryArrays(all)
	var (
		inserted, queued []string
		woken            int64
	)
	err := s.pool.QueryRow(ctx, createMessagesQuery, ids, apps, types, eventIDs, sources, payloads, created,
		deliveryIDs, endpointIDs, orderingKeys, messageOf, indexKeys, indexedOf, workChannel, s.listener.self).Scan(&inserted, &queued, &woken)
	if err != nil {
		return nil, err
	}
	wasInserted, wasQueued := setOf(inserted), setOf(queued)
	results := make([]ingestResult, n)
	for i, m := range group {
		results[i].created = wasInserted[m.ID]
		for _, d := range planned[i] {
			if wasQueued[d.ID] {
				results[i].queued = append(results[i].queued, d)
			}
		}
	}
	return results, nil
}

// fanOutEndpoints reads the enabled, ordinary endpoints of the apps of
// group, with their event types and ordering, by app.
func (s *Store) fanOutEndpoints(ctx context.Context, group []*hookbridge.Message) (map[string][]*hookbridge.Endpoint, error) {
	apps := make([]string, 0, len(group))
	for _, m := range group {
		apps = append(apps, m.AppID)
	}
	slices.Sort(apps)
	rows, _ := s.pool.Query(ctx, `
		SELECT app_id, id, event_types, ordering_enabled, ordering_key_path FROM endpoints
		WHERE app_id = ANY ($1) AND NOT disabled AND NOT operational
		ORDER BY id`, slices.Compact(apps))
	endpoints, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*hookbridge.Endpoint, error) {
		var e hookbridge.Endpoint
		err := row.Scan(&e.AppID, &e.ID, &e.EventTypes, &e.Ordering.Enabled, &e.Ordering.KeyPath)
		return &e, err
	})
	if err != nil {
		return nil, err
	}
	byApp := map[string][]*hookbridge.Endpoint{}
	for _, e := range endpoints {
		byApp[e.AppID] = append(byApp[e.AppID], e)
	}
	return byApp, nil
}

// setOf returns the ids as a set.
func setOf(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

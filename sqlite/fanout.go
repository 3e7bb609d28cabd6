package sqlite

import (
	"context"
	"fmt"
	"sync"

	"github.com/hookbridge/hookbridge"
)

// maxFanOutApps bounds the fan-out cache; past it, it starts over.
const maxFanOutApps = 10_000

// fanOutCache keeps, per app, the endpoints its messages fan out to, as
// acceptingEndpoints reads them, so that an ingest need not read them in
// the single writer each time (why: docs/benchmarks.md, “Round 7”).
// It is used only by the writer's
// transactions, and kept exact by a generation that every change of
// endpoints moves on, at once and within the transaction that makes it:
//
//   - a write transaction that changes an endpoint says so
//     (txn.endpointsChanged);
//   - a group or savepoint rolled back moves it on, since a transaction of
//     the group may have read and kept what was undone;
//   - at the start of each group the writer reads the write connection's
//     data_version, which moves when another connection (another process
//     on the file) commits, and moves the generation on if it did.
type fanOutCache struct {
	mu          sync.Mutex
	generation  uint64
	byApp       map[string]fanOutEntry
	dataVersion int64
}

type fanOutEntry struct {
	generation uint64
	endpoints  []*hookbridge.Endpoint
}

// invalidate forgets every app's endpoints.
func (c *fanOutCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	clear(c.byApp)
}

// get returns the endpoints kept for appID, if any, and the generation a
// read made now belongs to.
func (c *fanOutCache) get(appID string) (endpoints []*hookbridge.Endpoint, generation uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byApp[appID]
	if ok && e.generation == c.generation {
		return e.endpoints, c.generation, true
	}
	return nil, c.generation, false
}

// put keeps the endpoints of appID read in generation, unless endpoints
// changed meanwhile.
func (c *fanOutCache) put(appID string, generation uint64, endpoints []*hookbridge.Endpoint) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation != c.generation {
		return
	}
	if c.byApp == nil || len(c.byApp) >= maxFanOutApps {
		c.byApp = map[string]fanOutEntry{}
	}
	c.byApp[appID] = fanOutEntry{generation: generation, endpoints: endpoints}
}

// checkOthers reads the data_version of t's connection, within t, and
// forgets everything if another connection committed since the last
// check (or it cannot tell).
func (c *fanOutCache) checkOthers(t txn) {
	var v int64
	if err := t.QueryRowContext(context.Background(), `PRAGMA data_version`).Scan(&v); err != nil {
		c.invalidate()
		return
	}
	c.mu.Lock()
	changed := v != c.dataVersion
	c.dataVersion = v
	c.mu.Unlock()
	if changed {
		c.invalidate()
	}
}

// readFanOutEndpoints reads the enabled, ordinary (not operational)
// endpoints of an app, with what fan-out and ordering need.
func readFanOutEndpoints(ctx context.Context, tx txn, appID string) ([]*hookbridge.Endpoint, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, event_types, ordering_enabled, ordering_key_path
		FROM endpoints WHERE app_id = ? AND disabled = 0 AND operational = 0 ORDER BY id`, appID)
	endpoints, err := collect(rows, err, scanFanOutEndpoint)
	if err != nil {
		return nil, fmt.Errorf("find endpoints: %w", err)
	}
	return endpoints, nil
}

// scanFanOutEndpoint scans a row of readFanOutEndpoints.
func scanFanOutEndpoint(row scanner) (*hookbridge.Endpoint, error) {
	var (
		e          hookbridge.Endpoint
		eventTypes string
		ordered    int
	)
	if err := row.Scan(&e.ID, &eventTypes, &ordered, &e.Ordering.KeyPath); err != nil {
		return nil, err
	}
	e.Ordering.Enabled = ordered != 0
	var err error
	if e.EventTypes, err = fromJSON[[]string]("event types", eventTypes); err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", e.ID, err)
	}
	return &e, nil
}

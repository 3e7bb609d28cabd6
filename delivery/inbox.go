package delivery

import (
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
)

// inbox carries news to the dispatcher's loop (Run): deliveries an ingest
// queued, work a claim may find, units of work that ended, and times at
// which work comes due. Ingest, API handlers, stores' notifications and
// workers post to it; only the loop takes from it, and only the loop
// changes the dispatcher's state. Posting never blocks.
type inbox struct {
	mu   sync.Mutex
	news news
	// posted receives a value when news is posted, so that a waiting loop
	// wakes.
	posted chan struct{}
}

// news is what was posted since the loop last took it.
type news struct {
	// queued are fresh deliveries, stored and due at once.
	queued []*hookbridge.Delivery
	// claimable says a claim may find work no claim has looked for:
	// something was queued or retried, a delivery went back to the store
	// without a worker, or an ordered endpoint's next delivery is free.
	claimable bool
	// ended are units of work whose workers are free again.
	ended []endedUnit
	// dueAt is the earliest time posted at which work comes due (a retry,
	// the end of a pause); zero if none.
	dueAt time.Time
}

// endedUnit is a unit of work to an endpoint that ended: its worker is free.
type endedUnit struct {
	endpointID string
	// deliveryIDs are the unit's deliveries.
	deliveryIDs []string
}

func newInbox() *inbox { return &inbox{posted: make(chan struct{}, 1)} }

// post changes the news with f and wakes the loop.
func (b *inbox) post(f func(*news)) {
	b.mu.Lock()
	f(&b.news)
	b.mu.Unlock()
	select {
	case b.posted <- struct{}{}:
	default:
	}
}

// take returns the news and starts afresh.
func (b *inbox) take() news {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.news
	b.news = news{}
	return n
}

// postQueued posts fresh deliveries.
func (b *inbox) postQueued(ds []*hookbridge.Delivery) {
	b.post(func(n *news) { n.queued = append(n.queued, ds...) })
}

// postClaimable posts that a claim may find work.
func (b *inbox) postClaimable() {
	b.post(func(n *news) { n.claimable = true })
}

// postDueAt posts that work comes due at t; a zero t is ignored.
func (b *inbox) postDueAt(t time.Time) {
	if t.IsZero() {
		return
	}
	b.post(func(n *news) {
		if n.dueAt.IsZero() || t.Before(n.dueAt) {
			n.dueAt = t
		}
	})
}

package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
)

// SetHandOff makes the store lease the deliveries it queues as it stores
// a message to h when h has a worker free for them, and hand them over
// after the commit (see hookbridge.HandOff): they need no claim (why:
// docs/benchmarks.md, “Round 7”). Call it before the store is used; nil
// turns it off. Deliveries to
// endpoints that order or batch their deliveries, or are paused, are
// always left to the claim, which knows how. With a hand-off the store
// tells h of every ingest that left deliveries to the claim, so whoever
// stores messages need not notify h's dispatcher too.
func (s *Store) SetHandOff(h hookbridge.HandOff, log *slog.Logger) {
	s.handOff = h
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s.log = log
}

// handOver is one ingest's deliveries leased for the hand-off, with the
// version of each one's endpoint as the ingest saw it, and how many it
// left to the claim.
type handOver struct {
	to       hookbridge.HandOff
	claims   []*hookbridge.Claim
	versions []int
	left     int
}

// newHandOver returns the hand-over of one ingest, or nil if the store
// hands nothing over.
func (s *Store) newHandOver() *handOver {
	if s.handOff == nil {
		return nil
	}
	return &handOver{to: s.handOff}
}

// lease reserves a worker for a delivery to e queued now and returns the
// lease to store with it, or "" if it stays for the claim. Deliveries to
// ordered, batching, paused and rate-limited endpoints stay: the claim
// knows which of them may go (a rate-limited endpoint's, no more than its
// limit lets go soon: hookbridge.ClaimQuery.ThrottleWindow).
func (h *handOver) lease(e *hookbridge.Endpoint, now time.Time) (leaseID string, expires int64) {
	if h == nil {
		return "", 0
	}
	if e.Ordering.Enabled || e.Batching || e.Throttle().Limited() || pausedAt(e, now) || !h.to.Reserve(e.ID) {
		h.left++
		return "", 0
	}
	return newLeaseID(), toMicros(now.Add(h.to.LeaseDuration()))
}

// leased notes a delivery to e stored with a lease from lease.
func (h *handOver) leased(d *hookbridge.Delivery, leaseID string, e *hookbridge.Endpoint) {
	h.claims = append(h.claims, &hookbridge.Claim{Delivery: d, LeaseID: leaseID})
	h.versions = append(h.versions, e.Version)
}

// undo gives back every reservation: the transaction failed, or is run
// again and will reserve afresh.
func (h *handOver) undo() {
	if h == nil {
		return
	}
	for _, c := range h.claims {
		h.to.Unreserve(c.Delivery.EndpointID)
	}
	h.claims, h.versions, h.left = nil, nil, 0
}

// pausedAt reports whether e is paused at now (after a 429 answer).
func pausedAt(e *hookbridge.Endpoint, now time.Time) bool {
	return e.PausedUntil != nil && e.PausedUntil.After(now)
}

// handOver tells h's dispatcher of the deliveries a committed ingest of
// msg left to the claim, and hands those it leased to their workers, with
// the message (the store's own copy, as recentMessages keeps it), and the
// endpoint and app as a claim reads them: from the endpoint cache if it
// holds the version the ingest saw, else from the read pool. One whose
// endpoint was meanwhile deleted, disabled or paused is released for the
// claim instead, which decides as it would for any.
func (s *Store) handOver(h *handOver, msg *hookbridge.Message) {
	if h == nil {
		return
	}
	if h.left > 0 {
		h.to.Notify()
	}
	if len(h.claims) == 0 {
		return
	}
	now := time.Now()
	var unknown []*hookbridge.Claim
	for i, c := range h.claims {
		m := *msg
		c.Message = &m
		if e, app, ok := s.endpoints.get(c.Delivery.EndpointID, h.versions[i], now); ok {
			c.Endpoint, c.App = e, app
			continue
		}
		unknown = append(unknown, c)
	}
	if len(unknown) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.attachInReadTx(ctx, unknown); err != nil {
			s.log.Error("hand over deliveries: release them for the claim", "err", err)
			s.giveBack(h, h.claims)
			return
		}
		for _, c := range unknown {
			s.endpoints.put(c.Endpoint, c.App, now)
		}
	}
	for _, c := range h.claims {
		if e := c.Endpoint; e == nil || e.Disabled || pausedAt(e, now) {
			s.giveBack(h, []*hookbridge.Claim{c})
			continue
		}
		h.to.Take(c)
	}
}

// endpointCacheFor is how long the endpoint cache trusts an app it read:
// an endpoint's own settings are checked by its version, but an app's
// delivery settings (how long an endpoint may fail before it is
// disabled) have none.
const endpointCacheFor = time.Second

// maxCachedEndpoints bounds the endpoint cache; past it, it starts over.
const maxCachedEndpoints = 10_000

// endpointCache keeps the endpoints deliveries were last handed over to,
// decrypted, with their apps, so that a hand-over need not read them for
// every ingest as a claim does for every claim.
type endpointCache struct {
	mu   sync.Mutex
	byID map[string]cachedEndpoint
}

type cachedEndpoint struct {
	endpoint *hookbridge.Endpoint
	app      *hookbridge.App
	readAt   time.Time
}

// get returns the endpoint id at version, and its app, if kept and read
// less than endpointCacheFor before now.
func (c *endpointCache) get(id string, version int, now time.Time) (*hookbridge.Endpoint, *hookbridge.App, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ce, ok := c.byID[id]
	if !ok || ce.endpoint.Version != version || now.Sub(ce.readAt) >= endpointCacheFor {
		return nil, nil, false
	}
	return ce.endpoint, ce.app, true
}

// put keeps e (if not nil) and its app as read at readAt.
func (c *endpointCache) put(e *hookbridge.Endpoint, app *hookbridge.App, readAt time.Time) {
	if e == nil || app == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) >= maxCachedEndpoints {
		c.byID = map[string]cachedEndpoint{}
	}
	c.byID[e.ID] = cachedEndpoint{endpoint: e, app: app, readAt: readAt}
}

// giveBack releases the leases of claims and their reservations.
func (s *Store) giveBack(h *handOver, claims []*hookbridge.Claim) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, c := range claims {
		if err := s.ReleaseClaim(ctx, c); err != nil && !errors.Is(err, hookbridge.ErrLeaseLost) {
			s.log.Error("release a delivery not handed over; it is claimed once its lease ends", "delivery_id", c.Delivery.ID, "err", err)
		}
		h.to.Unreserve(c.Delivery.EndpointID)
	}
}

// newLeaseID returns a random lease id, as the claim makes them.
func newLeaseID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: see crypto/rand.Read
	return hex.EncodeToString(b[:])
}

package hookbridge

import (
	"context"
	"time"
)

// Store is the whole storage contract of hookbridge. It is implemented by
// package sqlite (embedded, the default) and package postgres (several
// nodes), and both are held to it by the conformance suite in storetest.
//
// Methods that take an app id only see that app's rows: asking for another
// app's resource gives ErrNotFound.
type Store interface {
	AppStore
	TokenStore
	SourceStore
	EndpointStore
	TransformationStore
	MessageStore
	CustomerStore
	DeliveryStore
	AuditStore
	MaintenanceStore
	ThrottleStore
	NodeStore
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// AppStore keeps tenants.
type AppStore interface {
	// CreateApp stores a new app; ErrConflict if the id is taken.
	CreateApp(ctx context.Context, app *App) error
	GetApp(ctx context.Context, id string) (*App, error)
	ListApps(ctx context.Context) ([]*App, error)
	// UpdateAppDelivery stores the app's delivery settings (RetrySchedule,
	// DisableEndpointAfter) and leaves every other field alone.
	UpdateAppDelivery(ctx context.Context, app *App) error
	// RenameApp sets an app's display name and leaves every other field
	// alone; ErrNotFound if there is no such app.
	RenameApp(ctx context.Context, id, name string) error
}

// TokenStore keeps API tokens by the hash of their secret.
type TokenStore interface {
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash finds a token by the SHA-256 of its secret.
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	ListTokens(ctx context.Context, appID string) ([]*Token, error)
	RevokeToken(ctx context.Context, appID, id string, at time.Time) error
	// ConsumeToken revokes, at the given time, the token whose secret
	// hashes to hash if it is usable then (not revoked, not expired), and
	// returns it as it was before. Of callers racing to consume one token,
	// exactly one gets it; the others, like callers of an unusable or
	// unknown token, get ErrNotFound.
	ConsumeToken(ctx context.Context, hash []byte, at time.Time) (*Token, error)
	// CountTokens counts tokens of every app, admin ones included.
	CountTokens(ctx context.Context) (int, error)
	// RevokeSession ends the dashboard session with the given id. The
	// revocation is kept until the session would have expired anyway
	// (until); it forgets revocations whose time is before now.
	RevokeSession(ctx context.Context, id string, until, now time.Time) error
	// SessionRevoked reports whether the session with the given id was
	// revoked.
	SessionRevoked(ctx context.Context, id string) (bool, error)
}

// SourceStore keeps inbound addresses. Secrets are encrypted at rest.
type SourceStore interface {
	CreateSource(ctx context.Context, s *Source) error
	// GetSource finds a source of an app. An empty appID finds it in any
	// app (ingest knows only the source id).
	GetSource(ctx context.Context, appID, id string) (*Source, error)
	ListSources(ctx context.Context, appID string) ([]*Source, error)
	// UpdateSource replaces name and secrets.
	UpdateSource(ctx context.Context, s *Source) error
	DeleteSource(ctx context.Context, appID, id string) error
}

// EndpointStore keeps destinations. Credentials are encrypted at rest.
type EndpointStore interface {
	CreateEndpoint(ctx context.Context, e *Endpoint) error
	GetEndpoint(ctx context.Context, appID, id string) (*Endpoint, error)
	ListEndpoints(ctx context.Context, appID string) ([]*Endpoint, error)
	// UpdateEndpoint replaces every field but the health ones
	// (FailingSince, PausedUntil, DisabledAt, DisabledReason) and
	// Operational, and increments Version; e is updated to the stored
	// endpoint. Disabling sets DisabledAt; enabling a disabled endpoint
	// clears the health fields, so it starts afresh.
	UpdateEndpoint(ctx context.Context, e *Endpoint) error
	// DeleteEndpoint removes the endpoint; its pending deliveries become
	// cancelled.
	DeleteEndpoint(ctx context.Context, appID, id string) error
	// EndpointStats summarises the attempts an endpoint of the app made in
	// [since, until) and the deliveries created for it then.
	EndpointStats(ctx context.Context, appID, id string, since, until time.Time) (*EndpointStats, error)
}

// MessageStore keeps events.
type MessageStore interface {
	// CreateMessage stores m and, in the same transaction, one pending
	// delivery (due at m.CreatedAt) for every enabled endpoint of the app
	// that accepts its event type, and returns them as Ingested.Queued. If
	// the app already holds a message with the same EventID, nothing is
	// written: the stored message is returned with Created false. An empty
	// EventID is taken to be the message's id, so messages without one
	// never collide.
	CreateMessage(ctx context.Context, m *Message) (Ingested, error)
	GetMessage(ctx context.Context, appID, id string) (*Message, error)
	// ListMessages returns messages newest first.
	ListMessages(ctx context.Context, appID string, f MessageFilter) ([]*Message, error)
}

// DeliveryStore keeps deliveries and their attempts, and leases due
// deliveries to workers.
type DeliveryStore interface {
	GetDelivery(ctx context.Context, appID, id string) (*Delivery, error)
	// ListDeliveries returns deliveries newest first.
	ListDeliveries(ctx context.Context, appID string, f DeliveryFilter) ([]*Delivery, error)
	ListAttempts(ctx context.Context, appID, deliveryID string) ([]*Attempt, error)

	// ClaimDeliveries is Claim without a cap per endpoint: it leases up to
	// limit pending deliveries that are due at now and not leased (or whose
	// lease expired) for the given duration.
	ClaimDeliveries(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*Claim, error)
	// Claim leases due deliveries as q says, earliest due first. No
	// delivery is held by two claims at once while a lease is valid. It
	// never claims a delivery of a disabled endpoint, of an endpoint paused
	// until after q.Now, or one whose OrderingKey is set while an older
	// delivery of the same endpoint and key is still pending. Deliveries of
	// deleted endpoints are claimed with a nil Endpoint so a worker can
	// settle them.
	Claim(ctx context.Context, q ClaimQuery) ([]*Claim, error)
	// CompleteAttempt records an attempt (nil if none was made) and the
	// outcome in one transaction, and ends the lease. ErrLeaseLost if the
	// lease is no longer c's.
	CompleteAttempt(ctx context.Context, c *Claim, a *Attempt, o Outcome) error
	// CompleteAttempts records several completions, each as CompleteAttempt
	// records one and each on its own (one that fails leaves the others
	// recorded), in as few transactions as the store can, and returns one
	// error per completion, nil for those recorded.
	CompleteAttempts(ctx context.Context, cs []Completion) []error
	// NextDue returns the earliest time after now at which time alone may
	// make a delivery claimable — a pending delivery's due time, a valid
	// lease's expiry, the end of an enabled endpoint's pause — or zero if
	// there is none. A dispatcher sleeps until then.
	NextDue(ctx context.Context, now time.Time) (time.Time, error)
	// ReleaseClaim ends a lease without recording anything, so another
	// worker may take the delivery at once (used at shutdown).
	ReleaseClaim(ctx context.Context, c *Claim) error
	// RetryDelivery makes a finished delivery pending again, due at now.
	RetryDelivery(ctx context.Context, appID, id string, now time.Time) (*Delivery, error)
	// RecoverDeliveries makes every failed delivery of an endpoint created
	// in [since, until) pending again, due at now, and says how many.
	RecoverDeliveries(ctx context.Context, appID, endpointID string, since, until, now time.Time) (int, error)
	// CreateDelivery queues one more delivery of a message (a resend) to
	// an endpoint of the message's app; ErrNotFound if the app has no such
	// message or endpoint. The ordering key is set from the endpoint.
	CreateDelivery(ctx context.Context, d *Delivery) error
	// CountRecoverable says what recovering an endpoint for [since, until)
	// would queue: its failed deliveries created then (RecoverDeliveries)
	// and the messages it missed then (BackfillDeliveries).
	CountRecoverable(ctx context.Context, appID, endpointID string, since, until time.Time) (Recoverable, error)
	// BackfillDeliveries queues, due at now, a delivery to the endpoint of
	// every message of the app created in [since, until) that the endpoint
	// accepts but never got (it was disabled, or did not exist yet but was
	// created before the message), and says how many. Operational events
	// are never backfilled to ordinary endpoints.
	BackfillDeliveries(ctx context.Context, appID, endpointID string, since, until, now time.Time) (int, error)
}

// ClaimQuery says which due deliveries a worker wants.
type ClaimQuery struct {
	// Now is the time the deliveries must be due by; leases run from it.
	Now   time.Time
	Limit int
	Lease time.Duration
	// PerEndpoint, if positive, caps the deliveries of one endpoint leased
	// at once (counting valid leases taken earlier, by any worker), so that
	// one endpoint with a large backlog or slow answers cannot occupy every
	// worker.
	PerEndpoint int
	// EndpointID, if set, claims only that endpoint's deliveries (to fill
	// a batch).
	EndpointID string
	// IDs, if set, claims only these deliveries — those among them that
	// are claimable under the rules above — and never a delivery of a
	// deleted endpoint. A dispatcher claims the deliveries an ingest
	// queued this way, right after the ingest (Ingested.Queued).
	IDs []string
	// Node, if set, is the node the leases are for: they are taken over
	// when it stops beating (NodeStore.TakeOverLeases). Leases without a
	// node only expire.
	Node string
	// ThrottleWindow, if positive, caps the deliveries of a rate-limited
	// endpoint leased at once (counting valid leases taken earlier, by any
	// worker) at what its limit lets go within the window
	// (RateLimit.Within), so that a backlog is not claimed only to wait
	// for turns far away.
	ThrottleWindow time.Duration
}

// Recoverable is what recovering an endpoint for a window would queue.
type Recoverable struct {
	// Failed counts its failed deliveries; Missed the messages it never
	// got.
	Failed int `json:"failed"`
	Missed int `json:"missed"`
}

// ThrottleStore enforces endpoints' rate limits in the database, so that
// every worker of every process sharing it keeps to one limit.
type ThrottleStore interface {
	// ReserveSend asks to send one request to an endpoint limited to one
	// request every interval with the given burst (GCRA, see
	// ReserveTurn): it answers "your turn is at", or "not within maxWait:
	// ask again at". If the request may go within maxWait of now, the
	// turn is taken and ok is true: the caller sends at the returned time.
	// Otherwise nothing is taken and at is the earliest time to ask again.
	ReserveSend(ctx context.Context, endpointID string, interval time.Duration, burst int, now time.Time, maxWait time.Duration) (at time.Time, ok bool, err error)
}

// NodeStore keeps the nodes (processes) sharing the store and takes back
// the leases of those that died.
type NodeStore interface {
	// Heartbeat records that n is alive at n.LastSeenAt, registering it
	// (again, if it was removed) with the rest of n.
	Heartbeat(ctx context.Context, n *Node) error
	// TakeOverLeases ends every lease whose node was last seen before
	// staleBefore or has no row, so that any node may claim those
	// deliveries at once, and says how many it ended. The old holder's
	// outcome is then refused (ErrLeaseLost). Leases without a node are
	// left to expire.
	TakeOverLeases(ctx context.Context, staleBefore time.Time) (int, error)
	// RemoveNode deletes a node's row (a node that stops).
	RemoveNode(ctx context.Context, id string) error
	// ForgetNodes deletes the rows of nodes last seen before lastSeenBefore
	// and says how many.
	ForgetNodes(ctx context.Context, lastSeenBefore time.Time) (int, error)
	// ListNodes returns every node with a row, earliest started first.
	ListNodes(ctx context.Context) ([]*Node, error)
}

// WorkNotifier is implemented by stores that can tell a process when
// another process queued work (PostgreSQL's LISTEN/NOTIFY), so idle workers
// wake at once instead of at their next poll.
type WorkNotifier interface {
	// WaitForWork returns a channel that receives a value whenever new work
	// may be due; it closes when ctx ends.
	WaitForWork(ctx context.Context) <-chan struct{}
}

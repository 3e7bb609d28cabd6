package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// workChannel is the LISTEN/NOTIFY channel on which a Store announces that
// deliveries became due.
const workChannel = "hookbridge_deliveries"

// notifyWork announces new due work on workChannel. Inside a transaction
// the notification is sent at commit, and not at all on rollback.
func notifyWork(ctx context.Context, q querier) error {
	if _, err := q.Exec(ctx, `SELECT pg_notify($1, '')`, workChannel); err != nil {
		return fmt.Errorf("notify workers: %w", err)
	}
	return nil
}

// WaitForWork returns a channel that receives a value whenever deliveries
// may have become due without waiting for their time: a message was created
// with deliveries by another Store on the same database, a delivery was
// retried, recovered, resent or released by this or any other Store. (The
// deliveries of a message this Store created are in CreateMessage's answer:
// whoever stores it tells its own dispatcher.) Values are coalesced: one
// value may stand for many events, so after receiving one, claim until
// nothing is left. The channel also receives a value each time the
// listening connection is (re)established, as notifications may have been
// missed meanwhile, and it is closed when ctx ends or the Store is closed.
//
// It is optional: workers must still poll now and then, for deliveries that
// become due by the passing of time (retries) and in case a notification is
// lost with a broken connection. The first call opens one more database
// connection, kept for LISTEN while the Store is open.
func (s *Store) WaitForWork(ctx context.Context) <-chan struct{} {
	return s.listener.subscribe(ctx)
}

// listener holds the LISTEN connection and fans notifications out to the
// subscribers of WaitForWork. It starts with the first subscriber.
type listener struct {
	connConfig *pgx.ConnConfig
	log        *slog.Logger
	// self names the Store in the notifications it sends that its own
	// subscribers need not receive.
	self string

	ctx    context.Context // ends when the Store closes
	cancel context.CancelFunc
	done   chan struct{} // closed when run returns

	mu      sync.Mutex
	subs    map[chan struct{}]struct{}
	started bool
	closed  bool
}

// Reconnection waits between failed attempts to LISTEN.
const (
	minReconnectDelay = 100 * time.Millisecond
	maxReconnectDelay = 10 * time.Second
)

func newListener(connConfig *pgx.ConnConfig, log *slog.Logger, self string) *listener {
	ctx, cancel := context.WithCancel(context.Background())
	return &listener{
		connConfig: connConfig.Copy(),
		log:        log,
		self:       self,
		ctx:        ctx,
		cancel:     cancel,
		done:       make(chan struct{}),
		subs:       make(map[chan struct{}]struct{}),
	}
}

func (l *listener) subscribe(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		close(ch)
		return ch
	}
	l.subs[ch] = struct{}{}
	if !l.started {
		l.started = true
		go l.run()
	}
	context.AfterFunc(ctx, func() { l.unsubscribe(ch) })
	return ch
}

func (l *listener) unsubscribe(ch chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.subs[ch]; ok {
		delete(l.subs, ch)
		close(ch)
	}
}

// broadcast gives every subscriber a value, unless it already holds one.
func (l *listener) broadcast() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// close stops the listener and closes every subscriber's channel.
func (l *listener) close() {
	l.mu.Lock()
	l.closed = true
	started := l.started
	for ch := range l.subs {
		delete(l.subs, ch)
		close(ch)
	}
	l.mu.Unlock()
	l.cancel()
	if started {
		<-l.done
	}
}

// run listens until the Store closes, reconnecting after failures with a
// growing delay.
func (l *listener) run() {
	defer close(l.done)
	delay := minReconnectDelay
	for {
		listened, err := l.listen()
		if l.ctx.Err() != nil {
			return
		}
		if listened {
			delay = minReconnectDelay
		}
		l.log.Warn("postgres: work notifications interrupted; reconnecting",
			"err", err, "retry_in", delay)
		select {
		case <-l.ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, maxReconnectDelay)
	}
}

// listen opens a connection, LISTENs on workChannel and broadcasts every
// notification but those its own Store sent for itself, until the
// connection fails or the Store closes. It reports
// whether LISTEN took effect.
func (l *listener) listen() (listened bool, err error) {
	conn, err := pgx.ConnectConfig(l.ctx, l.connConfig)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(ctx)
	}()
	if _, err := conn.Exec(l.ctx, "LISTEN "+workChannel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	// Work queued before LISTEN took effect would go unnoticed otherwise.
	l.broadcast()
	for {
		n, err := conn.WaitForNotification(l.ctx)
		if err != nil {
			return true, fmt.Errorf("wait for notification: %w", err)
		}
		if n.Payload != l.self {
			l.broadcast()
		}
	}
}

// newSenderID returns a random name for a Store in its notifications.
func newSenderID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails: see crypto/rand.Read
	return "store_" + hex.EncodeToString(b[:])
}

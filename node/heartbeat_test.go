package node

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/sqlite"
)

// TestHeartbeatTakesOverStaleNodes walks a fake clock: the node registers
// itself with its first beat, and a beat after another node stopped for
// NodeStaleAfter takes over that node's lease and says so.
func TestHeartbeatTakesOverStaleNodes(t *testing.T) {
	ctx := t.Context()
	n, err := Open(ctx, Config{DataDir: t.TempDir(), AdminToken: "hbk_" + strings.Repeat("x", 30)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	store := n.Store
	now := time.Now()
	clock := func() time.Time { return now }
	tookOver := 0
	h := newHeartbeat(store, clock, func(k int) { tookOver += k }, nil, slog.New(slog.DiscardHandler))

	e := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: hookbridge.DefaultAppID, Integration: "webhook",
		URL: "https://example.com/hook", Version: 1, CreatedAt: now, UpdatedAt: now}
	mustDo(t, store.CreateEndpoint(ctx, e))
	_, err = store.CreateMessage(ctx, &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: hookbridge.DefaultAppID,
		EventType: "payment.succeeded", Payload: []byte(`{}`), CreatedAt: now})
	mustDo(t, err)
	dead := &hookbridge.Node{ID: "node_dead", StartedAt: now, LastSeenAt: now}
	mustDo(t, store.Heartbeat(ctx, dead))
	claims, err := store.Claim(ctx, hookbridge.ClaimQuery{Now: now, Limit: 1, Lease: time.Hour, Node: dead.ID})
	if err != nil || len(claims) != 1 {
		t.Fatalf("claim for the dead node: %d, %v", len(claims), err)
	}

	mustDo(t, h.beat(ctx))
	if tookOver != 0 {
		t.Fatalf("took over %d leases of a node seen just now", tookOver)
	}
	now = now.Add(hookbridge.NodeStaleAfter + time.Second)
	mustDo(t, h.beat(ctx))
	if tookOver != 1 {
		t.Fatalf("took over %d leases after the other node stopped, want 1", tookOver)
	}
	nodes, err := store.ListNodes(ctx)
	mustDo(t, err)
	if len(nodes) != 2 {
		t.Fatalf("%d nodes listed, want 2", len(nodes))
	}
	for _, nd := range nodes {
		if alive := nd.Alive(now); alive != (nd.ID == h.self.ID) {
			t.Errorf("node %s alive = %v", nd.ID, alive)
		}
	}
	mustDo(t, h.remove(ctx))
	if nodes, _ := store.ListNodes(ctx); len(nodes) != 1 {
		t.Errorf("%d nodes listed after this one was removed, want 1", len(nodes))
	}
}

// TestRunRegistersAndRemovesTheNode: a running node lists itself, and
// after a graceful stop its row is gone.
func TestRunRegistersAndRemovesTheNode(t *testing.T) {
	n, err := Open(t.Context(), Config{DataDir: t.TempDir(), AdminToken: "hbk_" + strings.Repeat("x", 30)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustDo(t, err)
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		nodes, err := n.Store.ListNodes(t.Context())
		mustDo(t, err)
		if len(nodes) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a running node lists %d nodes, want itself", len(nodes))
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	mustDo(t, <-done)
	if nodes, _ := n.Store.ListNodes(t.Context()); len(nodes) != 0 {
		t.Errorf("a stopped node is still listed: %+v", nodes[0])
	}
}

// TestOpenRefusesAHeldDataDirectory: a second node on the same data
// directory is refused, naming the holder's pid.
func TestOpenRefusesAHeldDataDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, AdminToken: "hbk_" + strings.Repeat("x", 30)}
	n, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	_, err = Open(t.Context(), cfg)
	if !errors.Is(err, sqlite.ErrLocked) {
		t.Fatalf("second node on one data directory: %v, want ErrLocked", err)
	}
	// rotate-key opens the store beside a running node.
	if _, err := ResealSecrets(t.Context(), cfg); err != nil {
		t.Errorf("rotate-key beside a running node: %v", err)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package node

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

// TestRunPrunesOldMessages runs a node whose pruner starts at once, and
// checks that it deletes a message past the default retention period and
// keeps a recent one.
func TestRunPrunesOldMessages(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n, err := Open(ctx, Config{
		DataDir:    t.TempDir(),
		AdminToken: "hbk_node-test-admin-token-0123",
		Retention:  retention.Config{DefaultDays: 30, FirstRound: time.Millisecond, Interval: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	now := time.Now()
	old := message(t, n.Store, now.Add(-31*retention.Day))
	recent := message(t, n.Store, now.Add(-29*retention.Day))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := n.Store.GetMessage(ctx, hookbridge.DefaultAppID, old.ID)
		if errors.Is(err, hookbridge.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the message past the retention period is still there after 10 s (%v)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := n.Store.GetMessage(ctx, hookbridge.DefaultAppID, recent.ID); err != nil {
		t.Errorf("a message within the retention period was pruned: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func message(t *testing.T, s hookbridge.Store, at time.Time) *hookbridge.Message {
	t.Helper()
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: hookbridge.DefaultAppID,
		EventType: "payment.succeeded", Payload: []byte(`{}`), CreatedAt: at}
	m.EventID = m.ID
	in, err := s.CreateMessage(t.Context(), m)
	stored, created := in.Message, in.Created
	if err != nil || !created {
		t.Fatalf("create message: created %v, %v", created, err)
	}
	return stored
}

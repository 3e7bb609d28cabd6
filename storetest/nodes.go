package storetest

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func nodeCases() []testCase {
	return []testCase{
		{"HeartbeatRegistersAndUpdates", testNodeHeartbeat},
		{"RemoveAndForget", testNodeRemoveAndForget},
		{"TakeOverStaleNodesLeases", testTakeOverStaleNode},
		{"TakeOverRefusesOldHoldersOutcome", testTakeOverRefusesOldHolder},
		{"TakeOverRemovedNodesLeases", testTakeOverRemovedNode},
		{"TakeOverLeavesUnnamedLeases", testTakeOverLeavesUnnamed},
	}
}

// newNode returns a node started at at and seen then.
func newNode(id string, at time.Time) *hookbridge.Node {
	return &hookbridge.Node{ID: id, Hostname: "host-" + id, PID: 4242, StartedAt: at, LastSeenAt: at}
}

// beat records a heartbeat of n at at.
func beat(t *testing.T, s hookbridge.Store, n *hookbridge.Node, at time.Time) {
	t.Helper()
	n.LastSeenAt = at
	must(t, "heartbeat of "+n.ID, s.Heartbeat(t.Context(), n))
}

func listNodes(t *testing.T, s hookbridge.Store) []*hookbridge.Node {
	t.Helper()
	nodes, err := s.ListNodes(t.Context())
	must(t, "list nodes", err)
	return nodes
}

func normNode(n *hookbridge.Node) hookbridge.Node {
	c := *n
	c.StartedAt, c.LastSeenAt = normTime(c.StartedAt), normTime(c.LastSeenAt)
	return c
}

func testNodeHeartbeat(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	a, b := newNode("node_a", at), newNode("node_b", at.Add(time.Second))
	beat(t, s, a, at)
	beat(t, s, b, at.Add(time.Second))
	beat(t, s, a, at.Add(2*time.Second))

	nodes := listNodes(t, s)
	if len(nodes) != 2 {
		t.Fatalf("listed %d nodes, want 2", len(nodes))
	}
	checkEqual(t, "first node (earliest started)", normNode(nodes[0]), normNode(a))
	checkEqual(t, "second node", normNode(nodes[1]), normNode(b))
	if !nodes[0].Alive(at.Add(2*time.Second + hookbridge.NodeStaleAfter - time.Millisecond)) {
		t.Error("a node seen just under NodeStaleAfter ago is not alive")
	}
	if nodes[0].Alive(at.Add(2*time.Second + hookbridge.NodeStaleAfter)) {
		t.Error("a node not seen for NodeStaleAfter is alive")
	}
}

func testNodeRemoveAndForget(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	a, b, c := newNode("node_a", at), newNode("node_b", at), newNode("node_c", at)
	beat(t, s, a, at)
	beat(t, s, b, at)
	beat(t, s, c, at.Add(time.Hour))

	must(t, "remove node", s.RemoveNode(t.Context(), a.ID))
	n, err := s.ForgetNodes(t.Context(), at.Add(time.Minute))
	must(t, "forget nodes", err)
	if n != 1 {
		t.Errorf("forgot %d nodes, want 1", n)
	}
	checkEqual(t, "nodes left", ids(listNodes(t, s), nodeID), []string{c.ID})

	// A removed node that beats again is registered again.
	beat(t, s, a, at.Add(2*time.Hour))
	checkEqual(t, "nodes after a removed one beat", ids(listNodes(t, s), nodeID), []string{a.ID, c.ID})
}

func nodeID(n *hookbridge.Node) string { return n.ID }

// leaseTwo queues two deliveries and leases one to each of the nodes dead
// and alive, with a long lease; it returns the claims in that order.
func leaseTwo(t *testing.T, s hookbridge.Store, at time.Time, dead, alive *hookbridge.Node) (deadClaim, aliveClaim *hookbridge.Claim) {
	t.Helper()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Millisecond)))
	beat(t, s, dead, at)
	beat(t, s, alive, at)
	deadClaims := claimQ(t, s, hookbridge.ClaimQuery{Now: at.Add(time.Second), Limit: 1, Lease: time.Hour, Node: dead.ID})
	aliveClaims := claimQ(t, s, hookbridge.ClaimQuery{Now: at.Add(time.Second), Limit: 1, Lease: time.Hour, Node: alive.ID})
	if len(deadClaims) != 1 || len(aliveClaims) != 1 {
		t.Fatalf("claimed %d and %d deliveries, want one each", len(deadClaims), len(aliveClaims))
	}
	return deadClaims[0], aliveClaims[0]
}

func takeOver(t *testing.T, s hookbridge.Store, staleBefore time.Time) int {
	t.Helper()
	n, err := s.TakeOverLeases(t.Context(), staleBefore)
	must(t, "take over leases", err)
	return n
}

// testTakeOverStaleNode: the leases of a node not seen since the cut are
// ended, those of a node seen since are kept, long before either lease
// runs out.
func testTakeOverStaleNode(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	dead, alive := newNode("node_dead", at), newNode("node_alive", at)
	deadClaim, _ := leaseTwo(t, s, at, dead, alive)

	now := at.Add(20 * time.Second)
	beat(t, s, alive, now)
	if held := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, Node: alive.ID}); len(held) != 0 {
		t.Fatalf("claimed %d leased deliveries before the takeover", len(held))
	}
	if n := takeOver(t, s, now.Add(-hookbridge.NodeStaleAfter)); n != 1 {
		t.Fatalf("took over %d leases, want 1 (the stale node's)", n)
	}
	if n := takeOver(t, s, now.Add(-hookbridge.NodeStaleAfter)); n != 0 {
		t.Fatalf("took over %d leases again, want 0", n)
	}
	again := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, Node: alive.ID})
	checkEqual(t, "deliveries claimable after the takeover", ids(again, claimID), []string{deadClaim.Delivery.ID})
}

// testTakeOverRefusesOldHolder: a node that was only paused finds its
// lease taken over and claimed by another; its outcome is refused and
// changes nothing, the new holder's is recorded.
func testTakeOverRefusesOldHolder(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	paused, other := newNode("node_paused", at), newNode("node_other", at)
	old, _ := leaseTwo(t, s, at, paused, other)

	now := at.Add(20 * time.Second)
	beat(t, s, other, now)
	takeOver(t, s, now.Add(-hookbridge.NodeStaleAfter))
	taken := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, Node: other.ID})
	if len(taken) != 1 {
		t.Fatalf("claimed %d deliveries after the takeover, want 1", len(taken))
	}
	before := getDelivery(t, s, "acme", old.Delivery.ID)

	beat(t, s, paused, now.Add(time.Second)) // it wakes up and beats again
	err := s.CompleteAttempt(t.Context(), old, newAttempt(old, now.Add(time.Second), 500),
		hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: "destination answered 500"})
	checkErrorIs(t, "outcome from the node whose lease was taken over", err, hookbridge.ErrLeaseLost)
	checkErrorIs(t, "release by the node whose lease was taken over", s.ReleaseClaim(t.Context(), old), hookbridge.ErrLeaseLost)
	checkEqual(t, "delivery after the refused outcome", normDelivery(getDelivery(t, s, "acme", old.Delivery.ID)), normDelivery(before))
	attempts, err := s.ListAttempts(t.Context(), "acme", old.Delivery.ID)
	must(t, "list attempts", err)
	if len(attempts) != 0 {
		t.Errorf("the refused outcome recorded %d attempts", len(attempts))
	}

	must(t, "outcome from the new holder", s.CompleteAttempt(t.Context(), taken[0],
		newAttempt(taken[0], now.Add(2*time.Second), 200), hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	if got := getDelivery(t, s, "acme", old.Delivery.ID); got.Status != hookbridge.DeliverySucceeded {
		t.Errorf("delivery after the new holder's outcome is %s, want succeeded", got.Status)
	}
}

// testTakeOverRemovedNode: a lease whose node has no row (it stopped, or
// was forgotten) is taken over too.
func testTakeOverRemovedNode(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	gone, alive := newNode("node_gone", at), newNode("node_alive", at)
	goneClaim, _ := leaseTwo(t, s, at, gone, alive)
	must(t, "remove node", s.RemoveNode(t.Context(), gone.ID))

	if n := takeOver(t, s, at.Add(-time.Hour)); n != 1 {
		t.Fatalf("took over %d leases, want 1 (the removed node's)", n)
	}
	again := claimQ(t, s, hookbridge.ClaimQuery{Now: at.Add(2 * time.Second), Limit: 10, Node: alive.ID})
	checkEqual(t, "deliveries claimable after the takeover", ids(again, claimID), []string{goneClaim.Delivery.ID})
}

// testTakeOverLeavesUnnamed: leases taken without a node only expire.
func testTakeOverLeavesUnnamed(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	if got := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 1, Lease: time.Hour}); len(got) != 1 {
		t.Fatalf("claimed %d deliveries, want 1", len(got))
	}
	if n := takeOver(t, s, at.Add(time.Hour)); n != 0 {
		t.Errorf("took over %d leases that name no node", n)
	}
}

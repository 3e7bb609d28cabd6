package hookbridge

import "time"

// Node is one hookbridge process sharing a store, as it records itself in
// the store with a heartbeat. Leases name the node that holds them
// (ClaimQuery.Node), so that when a node stops beating the others take its
// leases over at once instead of waiting for them to expire.
type Node struct {
	// ID is chosen by the process when it starts; a restarted process is a
	// new node.
	ID       string `json:"id"`
	Hostname string `json:"host"`
	PID      int    `json:"pid"`
	// StartedAt is when the process started; LastSeenAt its latest
	// heartbeat.
	StartedAt  time.Time `json:"started_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
}

// Node liveness: a node beats every NodeHeartbeatInterval; one not seen for
// NodeStaleAfter is taken for dead and its leases are taken over; one not
// seen for NodeForgetAfter is no longer listed.
const (
	NodeHeartbeatInterval = 2 * time.Second
	NodeStaleAfter        = 10 * time.Second
	NodeForgetAfter       = 24 * time.Hour
)

// Alive reports whether n was seen within NodeStaleAfter of now.
func (n *Node) Alive(now time.Time) bool {
	return now.Sub(n.LastSeenAt) < NodeStaleAfter
}

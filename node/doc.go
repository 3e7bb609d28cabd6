// Package node wires one hookbridge process together: it opens the store
// (embedded SQLite, or PostgreSQL), the secret key ring, the sandbox and the
// integrations, makes sure the default app and an admin token exist, and
// runs the HTTP server and the delivery dispatcher until told to stop.
//
// cmd/hookbridge parses flags into a Config and calls Open and Run; tests
// start whole nodes the same way. The package holds no logic of its own
// beyond wiring, first-start bootstrapping and the node's heartbeat (which
// records it in the store and takes over the leases of nodes that died).
package node

// Package lifecycle tests hookbridge as the operating system runs it: the
// real binary, built from cmd/hookbridge, stopped with SIGTERM while it
// delivers (it must finish what is in flight and exit 0) and killed with
// SIGKILL (a restart must deliver every accepted event, duplicates carrying
// the same idempotency key).
//
// It holds tests only, and they talk to 127.0.0.1 only.
package lifecycle

// Package multinode tests hookbridge as it runs when one machine is not
// enough: several real hookbridge processes, built from cmd/hookbridge,
// sharing one PostgreSQL database, one of them killed without warning
// while it delivers.
//
// It holds tests only. They need a PostgreSQL server (see package pgtest):
// without one they are skipped, unless HOOKBRIDGE_REQUIRE_POSTGRES=1, when
// they fail. They must not reach beyond 127.0.0.1.
package multinode

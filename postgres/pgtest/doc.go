// Package pgtest gives tests a fresh PostgreSQL database of their own: it
// creates one on the test server, hands back its URL and drops it when the
// test ends.
//
// The server is HOOKBRIDGE_TEST_POSTGRES_URL, or postgres@127.0.0.1:5432
// with trust authentication. When no server answers, tests are skipped —
// unless HOOKBRIDGE_REQUIRE_POSTGRES=1 (set by .ci/run), in which case they
// fail, so that CI can never pass by skipping the PostgreSQL half of the
// suite.
//
// It is for tests only and must not be imported by production code. It
// does not import package postgres, so that package's own tests may use it.
package pgtest

// Package golden compares the requests that integrations prepare with
// golden files under a test's testdata folder; `go test -update` rewrites
// them.
//
// It is for tests only: it registers the -update flag and must not be
// imported by production code.
package golden

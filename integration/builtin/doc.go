// Package builtin lists the integrations hookbridge ships with, in the
// order the dashboard shows them.
//
// To add an integration: make a package under integration/ (see
// integration/segment for a complete one: Info with credentials, hosts and
// templates; Prepare that authenticates only its own hosts; Validate from
// the destination's documented rules; a fake server package for tests),
// then add its New() to All. Nothing else needs to change.
//
// This package must hold no state and do nothing but list.
package builtin

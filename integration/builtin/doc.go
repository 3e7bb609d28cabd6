// Package builtin lists the integrations hookbridge ships with, in the
// order the dashboard shows them.
//
// To add an integration: make a package under integration/ whose New()
// builds a kit.Spec (see integration/segment or integration/customerio for
// complete ones, and "Adding an integration" in docs/architecture.md), then
// add its New() to All. Nothing else needs to change.
//
// This package must hold no state and do nothing but list.
package builtin

// Package templatetest lets the integration packages' tests run their
// built-in templates: it runs a handler in the transformation sandbox
// (package js, with its hb helpers, so amounts are formatted by the one
// currency table in js/helpers.go) on realistic sample events embedded
// here. It also finds the source documents' handlers so that tests can
// compare the verbatim templates with them byte for byte.
//
// It is for tests only.
package templatetest

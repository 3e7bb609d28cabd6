// Package templatetest lets the integration packages' tests run their
// built-in templates: it executes a handler with goja the way the
// transformation contract describes (webhook.eventType, payload, url,
// method, headers, cancel), with a stand-in for the sandbox's hb helpers,
// on realistic sample events embedded here. It also finds the source
// documents' handlers so that tests can compare the verbatim templates with
// them byte for byte.
//
// It is for tests only and is no sandbox: no time or memory limits, no
// isolation. It must never be used to run user code; package js does that.
// When package js exists, tests may switch to it and this package can go.
package templatetest

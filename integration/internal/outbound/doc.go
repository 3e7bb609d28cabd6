// Package outbound holds the small request edits that every integration's
// Prepare makes: recognising the destination's own API hosts, moving a
// request to another host (a region), defaulting the method and headers,
// and building Basic credentials.
//
// It must not decide anything about a particular destination: which hosts,
// which credentials and which fields belong to the integration packages.
package outbound

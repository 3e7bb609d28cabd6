// Package e2e holds end-to-end tests: whole hookbridge nodes, started
// in-process on loopback with a real database, fed through the real HTTP
// API, delivering to fake Customer.io, Segment and webhook servers that
// check requests the way the real APIs do.
package e2e

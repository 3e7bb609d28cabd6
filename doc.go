// Package hookbridge holds the domain of the hookbridge webhook integration
// gateway: apps, sources, messages, endpoints, deliveries and attempts, and the
// small interfaces (Store, Transformer, Integration, Cipher) that the packages
// beneath it implement.
//
// The path of an event reads top to bottom: a message is ingested (package
// httpapi), stored together with one delivery per matching endpoint (packages
// sqlite and postgres), claimed by a worker (package delivery), transformed
// (package js), shaped and checked for its destination (packages under
// integration), sent, and recorded as an attempt.
//
// This package must not import any of the packages beneath it, nor any
// database driver or HTTP framework: dependencies point inwards.
package hookbridge

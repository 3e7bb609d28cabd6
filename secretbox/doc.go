// Package secretbox seals secrets at rest — integration credentials and
// signing secrets — with AES-256-GCM under a key ring.
//
// A key ring holds one or more 32-byte keys. The first key seals; every
// key opens, so that a new key can be put first and the old ones kept until
// everything has been sealed again. Each sealed value names the key that
// sealed it by a short fingerprint, so opening needs no trial and error.
//
// The package never logs, and its errors never contain key material or
// plaintext.
package secretbox

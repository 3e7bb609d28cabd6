package kit

import (
	"crypto/sha1"
	"fmt"
)

// uuidNamespace is hookbridge's namespace for the UUIDs UUIDFromKey
// derives: a random UUID, fixed once, so that no other namespace yields the
// same UUIDs.
var uuidNamespace = [16]byte{
	0x6f, 0x1c, 0x2a, 0x9e, 0x4b, 0x73, 0x4d, 0x0a,
	0x9c, 0x51, 0xe2, 0x87, 0x3d, 0x60, 0xb4, 0x15,
}

// UUIDFromKey derives a name-based UUID (version 5, RFC 9562) from key,
// such as a delivery's idempotency key: the same key always gives the same
// UUID, so that a tool that deduplicates on a UUID field (PostHog's event
// uuid) counts a retried delivery once.
func UUIDFromKey(key string) string {
	h := sha1.New()
	h.Write(uuidNamespace[:])
	h.Write([]byte(key))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50 // version 5
	sum[8] = sum[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

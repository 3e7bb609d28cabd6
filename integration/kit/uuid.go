package kit

import "github.com/google/uuid"

// uuidNamespace is hookbridge's namespace for the UUIDs UUIDFromKey
// derives: a random UUID, fixed once, so that no other namespace yields the
// same UUIDs.
var uuidNamespace = uuid.UUID{
	0x6f, 0x1c, 0x2a, 0x9e, 0x4b, 0x73, 0x4d, 0x0a,
	0x9c, 0x51, 0xe2, 0x87, 0x3d, 0x60, 0xb4, 0x15,
}

// UUIDFromKey derives a name-based UUID (version 5, RFC 9562) from key,
// such as a delivery's idempotency key: the same key always gives the same
// UUID, so that a tool that deduplicates on a UUID field (PostHog's event
// uuid) counts a retried delivery once.
func UUIDFromKey(key string) string {
	return uuid.NewSHA1(uuidNamespace, []byte(key)).String()
}

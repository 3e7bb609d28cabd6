package hookbridge

import (
	"crypto/sha256"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewID returns a new sortable unique identifier with a resource prefix,
// such as "msg_01J9…". IDs sort by creation time.
func NewID(prefix string) string {
	return prefix + "_" + ulid.Make().String()
}

// IdempotencyKey returns the key that every request for one message to one
// endpoint carries (Segment messageId, Customer.io event id, webhook-id), so
// that a retry is never counted twice by the destination. It is a ULID whose
// time part is the message's creation time and whose random part is derived
// from both ids: stable across retries, restarts and nodes.
func IdempotencyKey(messageID, endpointID string, messageCreated time.Time) string {
	sum := sha256.Sum256([]byte(messageID + "\x00" + endpointID))
	var id ulid.ULID
	if err := id.SetTime(ulid.Timestamp(messageCreated)); err != nil {
		// Only times after the year 10889 overflow; fall back to zero time.
		_ = id.SetTime(0)
	}
	if err := id.SetEntropy(sum[:10]); err != nil {
		panic("hookbridge: ulid entropy of 10 bytes rejected: " + err.Error())
	}
	return id.String()
}

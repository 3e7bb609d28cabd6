package sqlite

import (
	"bytes"
	"sync"

	"github.com/hookbridge/hookbridge"
)

// Bounds of recentMessages: about a second of messages at several
// thousand a second, and never more than this many payload bytes.
const (
	recentMessagesCount = 4096
	recentMessagesBytes = 8 << 20
)

// recentMessages keeps the messages this store stored last, so that the
// claims of their deliveries, which follow within milliseconds, need not
// read them back (why: docs/benchmarks.md, “Round 6”). A message never
// changes once stored, and
// is not deleted while a delivery of it is pending, so a kept copy is
// always right; what is not kept is read from the database. It keeps the
// newest recentMessagesCount messages, fewer if their payloads pass
// recentMessagesBytes.
type recentMessages struct {
	mu    sync.Mutex
	ring  []*hookbridge.Message // ring[next] is the oldest, replaced next
	next  int
	byID  map[string]*hookbridge.Message
	bytes int
	// maxBytes bounds the payload bytes kept.
	maxBytes int
}

func newRecentMessages(count, maxBytes int) *recentMessages {
	return &recentMessages{
		ring:     make([]*hookbridge.Message, count),
		byID:     make(map[string]*hookbridge.Message, count),
		maxBytes: maxBytes,
	}
}

// add keeps a copy of m, dropping the oldest to make room, and returns
// the copy; its payload must not be changed.
func (r *recentMessages) add(m *hookbridge.Message) *hookbridge.Message {
	kept := *m
	kept.Payload = bytes.Clone(m.Payload)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drop(r.next)
	r.ring[r.next] = &kept
	r.byID[kept.ID] = &kept
	r.bytes += len(kept.Payload)
	r.next = (r.next + 1) % len(r.ring)
	for i := r.next; r.bytes > r.maxBytes; i = (i + 1) % len(r.ring) {
		r.drop(i)
	}
	return &kept
}

// drop forgets the message in slot i, if any.
func (r *recentMessages) drop(i int) {
	old := r.ring[i]
	if old == nil {
		return
	}
	r.ring[i] = nil
	r.bytes -= len(old.Payload)
	if r.byID[old.ID] == old {
		delete(r.byID, old.ID)
	}
}

// lookup returns copies of the kept messages among ids, by id, and the
// ids it does not keep.
func (r *recentMessages) lookup(ids []string) (found map[string]*hookbridge.Message, missing []string) {
	found = make(map[string]*hookbridge.Message, len(ids))
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		m, ok := r.byID[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		c := *m // the payload is shared: nothing changes a message's bytes
		found[id] = &c
	}
	return found, missing
}

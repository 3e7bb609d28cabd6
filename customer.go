package hookbridge

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// CustomerStore finds the messages about one customer: a store indexes
// each message under its CustomerKeys as it stores it (in the same
// transaction) and forgets the index rows with the message.
type CustomerStore interface {
	// CustomerTimeline returns the messages of an app indexed under any of
	// the keys of f.Customer (CustomerLookupKeys), newest (highest id)
	// first, each with its deliveries (newest first) and each delivery's
	// last attempt. An unknown customer gives an empty list.
	CustomerTimeline(ctx context.Context, appID string, f TimelineFilter) ([]*TimelineEntry, error)
}

// TimelineFilter selects a page of a customer's timeline.
type TimelineFilter struct {
	// Customer is a customer id or an e-mail address, as a user types it.
	Customer string
	// Before is a cursor: only messages with an id lower than it.
	Before string
	Limit  int
}

// TimelineEntry is one message about a customer and what became of it.
type TimelineEntry struct {
	Message    *Message            `json:"message"`
	Deliveries []*TimelineDelivery `json:"deliveries"`
}

// TimelineDelivery is a delivery with its last attempt (nil before the
// first).
type TimelineDelivery struct {
	Delivery    *Delivery `json:"delivery"`
	LastAttempt *Attempt  `json:"last_attempt,omitempty"`
}

// maxCustomerKeyLen bounds a stored customer key; longer ones are stored
// as their SHA-256, for which a lookup asks just as well.
const maxCustomerKeyLen = 200

// CustomerKeys returns the keys a message is indexed under for its
// customer's timeline: the customer id as it is and the e-mail address in
// lower case, each at most once. The envelope names its customer in
// data.customer {customer_id, email} (payment, refund, subscription,
// abandoned checkout and dunning events) or by id alone in
// data.customer_id (credit, license key and entitlement events); disputes
// and payouts name none. A payload that is not JSON, or names no customer,
// has none.
func CustomerKeys(payload []byte) []string {
	f, ok := scanCustomer(payload)
	if !ok {
		return nil
	}
	id, email := cmp.Or(f.id, f.dataID), f.email
	var keys []string
	if id = customerIDKey(id); id != "" {
		keys = append(keys, id)
	}
	if email = emailKey(email); email != "" && email != id {
		keys = append(keys, email)
	}
	return keys
}

// CustomerLookupKeys returns the keys under which the messages about a
// customer typed by a user (an id or an e-mail address) are indexed: the
// text as an id and, if it holds an @ and differs, in lower case as an
// e-mail address. An id is matched case-sensitively.
func CustomerLookupKeys(customer string) []string {
	var keys []string
	if id := customerIDKey(customer); id != "" {
		keys = append(keys, id)
	}
	if !strings.Contains(customer, "@") {
		return keys
	}
	if email := emailKey(customer); email != "" && (len(keys) == 0 || email != keys[0]) {
		keys = append(keys, email)
	}
	return keys
}

func customerIDKey(id string) string {
	return boundKey(strings.TrimSpace(id))
}

func emailKey(email string) string {
	return boundKey(strings.ToLower(strings.TrimSpace(email)))
}

func boundKey(key string) string {
	if len(key) <= maxCustomerKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// NewestIDs merges lists of ids, each sorted newest (highest) first, into
// one such list without repeats, at most limit long (all when limit is not
// positive). A store that reads a customer's keys one by one merges them
// with it.
func NewestIDs(limit int, lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.SortFunc(all, func(a, b string) int { return strings.Compare(b, a) })
	all = slices.Compact(all)
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all
}

// AssembleTimeline puts a page of a timeline together from what a store
// read: the messages in the order of ids (those missing are left out), each
// with its deliveries in the order given and each delivery's last attempt.
func AssembleTimeline(ids []string, messages []*Message, deliveries []*Delivery, lastAttempts []*Attempt) []*TimelineEntry {
	entries := make(map[string]*TimelineEntry, len(messages))
	for _, m := range messages {
		entries[m.ID] = &TimelineEntry{Message: m, Deliveries: []*TimelineDelivery{}}
	}
	attempts := make(map[string]*Attempt, len(lastAttempts))
	for _, a := range lastAttempts {
		attempts[a.DeliveryID] = a
	}
	for _, d := range deliveries {
		if e, ok := entries[d.MessageID]; ok {
			e.Deliveries = append(e.Deliveries, &TimelineDelivery{Delivery: d, LastAttempt: attempts[d.ID]})
		}
	}
	page := make([]*TimelineEntry, 0, len(ids))
	for _, id := range ids {
		if e, ok := entries[id]; ok {
			page = append(page, e)
		}
	}
	return page
}

package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

func timelineCases() []testCase {
	return []testCase{
		{"ByIDAndByEmail", testTimelineByIDAndEmail},
		{"DeliveriesWithLastAttempt", testTimelineDeliveries},
		{"Pages", testTimelinePages},
		{"OtherAppNotVisible", testTimelineOtherApp},
		{"UnknownCustomerEmpty", testTimelineUnknown},
		{"DuplicateNotIndexedTwice", testTimelineDuplicate},
		{"PrunedMessagesLeave", testTimelinePruned},
	}
}

// customerMessage returns a message whose payload names a customer as
// payment events do: data.customer {customer_id, email}.
func customerMessage(appID, eventType string, at time.Time, customerID, email string) *hookbridge.Message {
	m := newMessage(appID, eventType, at)
	m.Payload = fmt.Appendf(nil,
		`{"business_id":"biz_1","type":%q,"timestamp":%q,"data":{"payment_id":"pay_%s","customer":{"customer_id":%q,"email":%q,"name":"Jane"}}}`,
		eventType, at.Format(time.RFC3339), m.ID, customerID, email)
	return m
}

// creditMessage returns a message whose payload names its customer by id
// only, as credit events do: data.customer_id.
func creditMessage(appID string, at time.Time, customerID string) *hookbridge.Message {
	m := newMessage(appID, "credit.added", at)
	m.Payload = fmt.Appendf(nil,
		`{"business_id":"biz_1","type":"credit.added","timestamp":%q,"data":{"entry_id":"cle_1","customer_id":%q}}`,
		at.Format(time.RFC3339), customerID)
	return m
}

func timeline(t *testing.T, s hookbridge.Store, appID string, f hookbridge.TimelineFilter) []*hookbridge.TimelineEntry {
	t.Helper()
	entries, err := s.CustomerTimeline(t.Context(), appID, f)
	must(t, "customer timeline", err)
	if entries == nil {
		t.Fatal("customer timeline is nil, want an empty list")
	}
	return entries
}

func timelineIDs(entries []*hookbridge.TimelineEntry) []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.Message.ID
	}
	return ids
}

func messageIDs(ms ...*hookbridge.Message) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func testTimelineByIDAndEmail(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	paid := createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_1", "Jane.Doe@Example.com"))
	credit := createMessage(t, s, creditMessage("acme", at, "cus_1"))
	otherID := createMessage(t, s, customerMessage("acme", paymentFailed, at, "cus_2", "jane.doe@example.com"))
	createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_3", "someone@example.com"))
	createMessage(t, s, newMessage("acme", "dispute.opened", at))

	byID := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "cus_1"})
	if got, want := timelineIDs(byID), messageIDs(credit, paid); !slices.Equal(got, want) {
		t.Errorf("timeline of cus_1 = %v, want %v (newest first)", got, want)
	}
	if len(byID) == 2 && string(byID[1].Message.Payload) != string(paid.Payload) {
		t.Errorf("timeline message payload = %s, want the stored one", byID[1].Message.Payload)
	}
	byEmail := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: " JANE.doe@example.COM "})
	if got, want := timelineIDs(byEmail), messageIDs(otherID, paid); !slices.Equal(got, want) {
		t.Errorf("timeline of the e-mail address in other case = %v, want %v", got, want)
	}
	if got := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "CUS_1"}); len(got) != 0 {
		t.Errorf("a customer id is matched case-insensitively: %v", timelineIDs(got))
	}
}

func testTimelineDeliveries(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createEndpoint(t, s, newEndpoint("acme", at))
	m := createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_1", "jane@example.com"))

	pending := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "cus_1"})
	if len(pending) != 1 || len(pending[0].Deliveries) != 2 {
		t.Fatalf("timeline = %d entries, want 1 with 2 deliveries", len(pending))
	}
	for _, d := range pending[0].Deliveries {
		if d.Delivery.Status != hookbridge.DeliveryPending || d.LastAttempt != nil {
			t.Errorf("delivery before any attempt: status %s, last attempt %v", d.Delivery.Status, d.LastAttempt)
		}
	}

	// One delivery fails once and then succeeds; the other fails for good.
	claims := claimAll(t, s, at, time.Minute)
	if len(claims) != 2 {
		t.Fatalf("claimed %d deliveries, want 2", len(claims))
	}
	retried, failed := claims[0], claims[1]
	must(t, "complete", s.CompleteAttempt(t.Context(), retried, newAttempt(retried, at, 500),
		hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: at.Add(time.Second)}))
	must(t, "complete", s.CompleteAttempt(t.Context(), failed, newAttempt(failed, at, 400),
		hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: "destination answered 400"}))
	again := claimAll(t, s, at.Add(2*time.Second), time.Minute)
	if len(again) != 1 {
		t.Fatalf("claimed %d deliveries for the retry, want 1", len(again))
	}
	last := newAttempt(again[0], at.Add(2*time.Second), 200)
	must(t, "complete", s.CompleteAttempt(t.Context(), again[0], last, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))

	entries := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "jane@example.com"})
	if len(entries) != 1 || entries[0].Message.ID != m.ID || len(entries[0].Deliveries) != 2 {
		t.Fatalf("timeline = %v, want message %s with 2 deliveries", timelineIDs(entries), m.ID)
	}
	byID := map[string]*hookbridge.TimelineDelivery{}
	for _, d := range entries[0].Deliveries {
		byID[d.Delivery.ID] = d
	}
	ok := byID[retried.Delivery.ID]
	if ok == nil || ok.Delivery.Status != hookbridge.DeliverySucceeded || ok.LastAttempt == nil ||
		ok.LastAttempt.ID != last.ID || ok.LastAttempt.ResponseStatus != 200 {
		t.Errorf("retried delivery = %+v, want succeeded with its second attempt (%s) last", ok, last.ID)
	} else if ok.LastAttempt.Request.URL != last.Request.URL || ok.LastAttempt.Request.Body != last.Request.Body {
		t.Errorf("last attempt's request = %+v, want the recorded one", ok.LastAttempt.Request)
	}
	bad := byID[failed.Delivery.ID]
	if bad == nil || bad.Delivery.Status != hookbridge.DeliveryFailed || bad.LastAttempt == nil || bad.LastAttempt.ResponseStatus != 400 {
		t.Errorf("failed delivery = %+v, want failed with its 400 attempt", bad)
	}
}

func testTimelinePages(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	var made []*hookbridge.Message
	for i := range 5 {
		// Every message names the customer by id and e-mail address, and
		// one by id only, so both keys lead to most of them.
		m := customerMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Second), "cus_1", "jane@example.com")
		if i == 2 {
			m = creditMessage("acme", at, "cus_1")
		}
		made = append(made, createMessage(t, s, m))
	}
	slices.Reverse(made)
	var got []string
	f := hookbridge.TimelineFilter{Customer: "cus_1", Limit: 2}
	for range 4 {
		page := timeline(t, s, "acme", f)
		if len(page) > 2 {
			t.Fatalf("page of %d entries with a limit of 2", len(page))
		}
		got = append(got, timelineIDs(page)...)
		if len(page) < 2 {
			break
		}
		f.Before = page[len(page)-1].Message.ID
	}
	if want := messageIDs(made...); !slices.Equal(got, want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
	all := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "cus_1"})
	if len(all) != 5 {
		t.Errorf("without a limit the timeline has %d entries, want 5", len(all))
	}
}

func testTimelineOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("globex", at))
	createMessage(t, s, customerMessage("globex", paymentSucceeded, at, "cus_1", "jane@example.com"))
	mine := createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_1", "jane@example.com"))

	got := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "jane@example.com"})
	if ids := timelineIDs(got); !slices.Equal(ids, []string{mine.ID}) {
		t.Errorf("timeline of acme = %v, want only its own message %s", ids, mine.ID)
	}
	if len(got) == 1 && len(got[0].Deliveries) != 0 {
		t.Errorf("acme's message lists %d deliveries of another app", len(got[0].Deliveries))
	}
}

func testTimelineUnknown(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_1", "jane@example.com"))
	for _, customer := range []string{"cus_404", "nobody@example.com", "", "   "} {
		if got := timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: customer}); len(got) != 0 {
			t.Errorf("timeline of %q = %v, want empty", customer, timelineIDs(got))
		}
	}
	if got := timeline(t, s, "nope", hookbridge.TimelineFilter{Customer: "cus_1"}); len(got) != 0 {
		t.Errorf("timeline of an unknown app = %v, want empty", timelineIDs(got))
	}
}

func testTimelineDuplicate(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	first := createMessage(t, s, customerMessage("acme", paymentSucceeded, at, "cus_1", "jane@example.com"))
	again := customerMessage("acme", paymentSucceeded, at, "cus_1", "jane@example.com")
	again.EventID = first.EventID
	if in, err := s.CreateMessage(t.Context(), again); err != nil || in.Created {
		t.Fatalf("create duplicate: created %v, %v", in.Created, err)
	}
	if got := timelineIDs(timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: "cus_1"})); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("timeline after a duplicate = %v, want only %s", got, first.ID)
	}
}

func testTimelinePruned(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	createApp(t, s, "acme", old)
	createEndpoint(t, s, newEndpoint("acme", old))
	stale := createMessage(t, s, customerMessage("acme", paymentSucceeded, old, "cus_1", "jane@example.com"))
	recent := createMessage(t, s, customerMessage("acme", paymentSucceeded, now.Add(-time.Hour), "cus_1", "jane@example.com"))
	settleAll(t, s, now, hookbridge.DeliverySucceeded)
	if n := prune(t, s, "acme", retention.Cutoff(now, 90), 100); n != 1 {
		t.Fatalf("pruned %d messages, want 1", n)
	}
	for _, customer := range []string{"cus_1", "jane@example.com"} {
		got := timelineIDs(timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: customer, Limit: 1}))
		if !slices.Equal(got, []string{recent.ID}) {
			t.Errorf("timeline of %s after pruning %s = %v, want [%s]", customer, stale.ID, got, recent.ID)
		}
		got = timelineIDs(timeline(t, s, "acme", hookbridge.TimelineFilter{Customer: customer, Before: recent.ID}))
		if len(got) != 0 {
			t.Errorf("timeline of %s before the kept message = %v, want empty", customer, got)
		}
	}
}

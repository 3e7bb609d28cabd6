package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func messageCases() []testCase {
	return []testCase{
		{"FansOutToAcceptingEnabledEndpoints", testMessageFanOut},
		{"DuplicateEventIDReturnsStored", testMessageDuplicateEventID},
		{"EmptyEventIDIsTheMessageID", testMessageEmptyEventID},
		{"DuplicateEventIDConcurrently", testMessageDuplicateConcurrent},
		{"SameEventIDInAnotherApp", testMessageEventIDPerApp},
		{"PayloadKeptByteForByte", testMessagePayloadBytes},
		{"GetOtherAppNotFound", testMessageOtherApp},
		{"ListFilters", testMessageListFilters},
	}
}

func testMessageFanOut(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	all := createEndpoint(t, s, newEndpoint("acme", at))
	payments := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed, paymentSucceeded))
	createEndpoint(t, s, newEndpoint("acme", at, refundCreated))
	disabled := newEndpoint("acme", at)
	disabled.Disabled = true
	createEndpoint(t, s, disabled)
	createEndpoint(t, s, newEndpoint("globex", at))

	m := createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Minute)))
	got := deliveriesOf(t, s, m)
	checkEqual(t, "endpoints given a delivery",
		sortedIDs(got, func(d *hookbridge.Delivery) string { return d.EndpointID }), sorted(all.ID, payments.ID))
	for _, d := range got {
		if d.ID == "" {
			t.Errorf("delivery without id")
		}
		want := hookbridge.Delivery{
			ID:            d.ID,
			AppID:         "acme",
			MessageID:     m.ID,
			EndpointID:    d.EndpointID,
			EventType:     paymentSucceeded,
			Status:        hookbridge.DeliveryPending,
			NextAttemptAt: m.CreatedAt,
			CreatedAt:     m.CreatedAt,
		}
		checkEqual(t, "new delivery", normDelivery(d), normDelivery(&want))
		stored := getDelivery(t, s, "acme", d.ID)
		checkEqual(t, "delivery by id", normDelivery(stored), normDelivery(&want))
	}

	none := createMessage(t, s, newMessage("acme", "payout.paid", at))
	if ds := deliveriesOf(t, s, none); len(ds) != 1 || ds[0].EndpointID != all.ID {
		t.Errorf("deliveries of a type only the catch-all endpoint accepts: %d, want 1 to %s", len(ds), all.ID)
	}
}

func testMessageDuplicateEventID(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	first := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	createEndpoint(t, s, newEndpoint("acme", at))

	again := newMessage("acme", paymentFailed, at.Add(time.Minute))
	again.EventID = first.EventID
	in, err := s.CreateMessage(t.Context(), again)
	stored, created := in.Message, in.Created
	must(t, "create message with a known event id", err)
	if created {
		t.Errorf("created is true for a known event id")
	}
	if stored == nil {
		t.Fatalf("no stored message returned for a known event id")
	}
	checkEqual(t, "message returned for a known event id", normMessage(stored), normMessage(first))

	_, err = s.GetMessage(t.Context(), "acme", again.ID)
	checkErrorIs(t, "get the duplicate's id", err, hookbridge.ErrNotFound)
	if ds := deliveriesOf(t, s, first); len(ds) != 1 {
		t.Errorf("deliveries after a duplicate: %d, want the first one only", len(ds))
	}
	all, err := s.ListDeliveries(t.Context(), "acme", hookbridge.DeliveryFilter{})
	must(t, "list deliveries", err)
	if len(all) != 1 {
		t.Errorf("app holds %d deliveries after a duplicate, want 1", len(all))
	}
	msgs, err := s.ListMessages(t.Context(), "acme", hookbridge.MessageFilter{})
	must(t, "list messages", err)
	checkEqual(t, "messages after a duplicate", ids(msgs, messageID), []string{first.ID})
}

// testMessageEmptyEventID stores two messages without an event id: both
// are created, each with its own id as its event id.
func testMessageEmptyEventID(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	for i := range 2 {
		m := newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Minute))
		m.EventID = ""
		in, err := s.CreateMessage(t.Context(), m)
		stored, created := in.Message, in.Created
		must(t, "create a message without an event id", err)
		if !created || stored.ID != m.ID {
			t.Fatalf("message %d without an event id: created %v, stored %s, want %s created", i, created, stored.ID, m.ID)
		}
		checkEqual(t, "event id of a message stored without one", stored.EventID, m.ID)
		got, err := s.GetMessage(t.Context(), "acme", m.ID)
		must(t, "get the message", err)
		checkEqual(t, "event id read back", got.EventID, m.ID)
		if ds := deliveriesOf(t, s, got); len(ds) != 1 {
			t.Errorf("message %d without an event id has %d deliveries, want 1", i, len(ds))
		}
	}
}

// testMessageDuplicateConcurrent sends one event several times at once, as
// a retrying sender might: exactly one message and its deliveries result.
func testMessageDuplicateConcurrent(t *testing.T, s hookbridge.Store) {
	const senders = 8
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	type result struct {
		stored  *hookbridge.Message
		created bool
		err     error
	}
	results := make(chan result, senders)
	var wg sync.WaitGroup
	for range senders {
		m := newMessage("acme", paymentSucceeded, at)
		m.EventID = "evt_sent_many_times"
		wg.Go(func() {
			in, err := s.CreateMessage(t.Context(), m)
			stored, created := in.Message, in.Created
			results <- result{stored, created, err}
		})
	}
	wg.Wait()
	close(results)
	created := 0
	storedIDs := map[string]bool{}
	for r := range results {
		if r.err != nil {
			t.Errorf("create message: %v", r.err)
			continue
		}
		if r.created {
			created++
		}
		storedIDs[r.stored.ID] = true
	}
	if created != 1 || len(storedIDs) != 1 {
		t.Errorf("%d senders of one event: %d created, %d distinct messages returned; want 1 and 1", senders, created, len(storedIDs))
	}
	all, err := s.ListDeliveries(t.Context(), "acme", hookbridge.DeliveryFilter{})
	must(t, "list deliveries", err)
	if len(all) != 1 {
		t.Errorf("deliveries after concurrent duplicates: %d, want 1", len(all))
	}
}

func testMessageEventIDPerApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("globex", at))
	first := createMessage(t, s, newMessage("acme", paymentSucceeded, at))

	other := newMessage("globex", paymentSucceeded, at)
	other.EventID = first.EventID
	createMessage(t, s, other)
	got, err := s.GetMessage(t.Context(), "globex", other.ID)
	must(t, "get message of the second app", err)
	checkEqual(t, "message of the second app", normMessage(got), normMessage(other))
	if ds := deliveriesOf(t, s, other); len(ds) != 1 {
		t.Errorf("deliveries of the second app's message: %d, want 1", len(ds))
	}
}

func testMessagePayloadBytes(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	payloads := []string{
		"{\"type\":\"payment.succeeded\",  \"business_id\" : \"biz_1\",\n\t\"data\":{\"z\":1,\"a\":[ 2 ,3 ],\"amount\":1.50}}\n",
		`{"b":"caf\u00e9 \ud83d\ude00","a":"café 😀","n":10000000000000000000001,"e":1e2,"dup":1,"dup":2}`,
	}
	for _, p := range payloads {
		m := newMessage("acme", paymentSucceeded, at)
		m.Payload = json.RawMessage(p)
		createMessage(t, s, m)
		got, err := s.GetMessage(t.Context(), "acme", m.ID)
		must(t, "get message", err)
		if string(got.Payload) != p {
			t.Errorf("payload changed:\n got  %q\n want %q", got.Payload, p)
		}
		claims := claimAll(t, s, at, time.Minute)
		if len(claims) != 1 || string(claims[0].Message.Payload) != p {
			t.Errorf("claimed message payload is not the stored bytes (%d claims)", len(claims))
		}
		for _, c := range claims {
			must(t, "complete", s.CompleteAttempt(t.Context(), c, nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
		}
	}
}

func testMessageOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	m := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	_, err := s.GetMessage(t.Context(), "globex", m.ID)
	checkErrorIs(t, "get another app's message", err, hookbridge.ErrNotFound)
	_, err = s.GetMessage(t.Context(), "acme", "msg_unknown")
	checkErrorIs(t, "get unknown message", err, hookbridge.ErrNotFound)
	msgs, err := s.ListMessages(t.Context(), "globex", hookbridge.MessageFilter{})
	must(t, "list messages", err)
	if len(msgs) != 0 {
		t.Errorf("another app lists %d messages, want none", len(msgs))
	}
}

func messageWithPayload(appID, eventType string, at time.Time, payload string) *hookbridge.Message {
	m := newMessage(appID, eventType, at)
	m.Payload = json.RawMessage(payload)
	return m
}

func testMessageListFilters(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	minute := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Minute))) }
	m := []*hookbridge.Message{
		createMessage(t, s, messageWithPayload("acme", paymentSucceeded, minute(0), `{"customer":{"email":"alice@example.com"}}`)),
		createMessage(t, s, withSource(messageWithPayload("acme", paymentFailed, minute(1), `{"customer":{"id":"cus_42"}}`), "src_platform")),
		createMessage(t, s, messageWithPayload("acme", refundCreated, minute(2), `{"customer":{"email":"alice@example.com"}}`)),
		createMessage(t, s, withSource(messageWithPayload("acme", paymentSucceeded, minute(3), `{"customer":{"id":"cus_42"},"note":"a_b 100%"}`), "src_platform")),
		createMessage(t, s, messageWithPayload("acme", paymentSucceeded, minute(4), `{"customer":{"id":"cus_7"},"note":"axb 1000"}`)),
	}
	createMessage(t, s, messageWithPayload("globex", paymentSucceeded, minute(2), `{"customer":{"email":"alice@example.com"}}`))

	tests := []struct {
		name   string
		filter hookbridge.MessageFilter
		want   []*hookbridge.Message
	}{
		{"none, newest first", hookbridge.MessageFilter{}, []*hookbridge.Message{m[4], m[3], m[2], m[1], m[0]}},
		{"event type", hookbridge.MessageFilter{EventType: paymentSucceeded}, []*hookbridge.Message{m[4], m[3], m[0]}},
		{"source", hookbridge.MessageFilter{SourceID: "src_platform"}, []*hookbridge.Message{m[3], m[1]}},
		{"search email", hookbridge.MessageFilter{Search: "alice@example.com"}, []*hookbridge.Message{m[2], m[0]}},
		{"search is not a pattern: underscore", hookbridge.MessageFilter{Search: "a_b"}, []*hookbridge.Message{m[3]}},
		{"search is not a pattern: percent", hookbridge.MessageFilter{Search: "100%"}, []*hookbridge.Message{m[3]}},
		{"search and event type", hookbridge.MessageFilter{Search: "cus_42", EventType: paymentSucceeded}, []*hookbridge.Message{m[3]}},
		{"search without match", hookbridge.MessageFilter{Search: "bob@example.com"}, nil},
		{"since", hookbridge.MessageFilter{Since: minute(1.5)}, []*hookbridge.Message{m[4], m[3], m[2]}},
		{"until", hookbridge.MessageFilter{Until: minute(2.5)}, []*hookbridge.Message{m[2], m[1], m[0]}},
		{"since and until", hookbridge.MessageFilter{Since: minute(1.5), Until: minute(2.5)}, []*hookbridge.Message{m[2]}},
		{"before cursor", hookbridge.MessageFilter{Before: m[3].ID}, []*hookbridge.Message{m[2], m[1], m[0]}},
		{"limit", hookbridge.MessageFilter{Limit: 2}, []*hookbridge.Message{m[4], m[3]}},
		{"next page", hookbridge.MessageFilter{Before: m[3].ID, Limit: 2}, []*hookbridge.Message{m[2], m[1]}},
		{"last page", hookbridge.MessageFilter{Before: m[1].ID, Limit: 2}, []*hookbridge.Message{m[0]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListMessages(t.Context(), "acme", tt.filter)
			must(t, "list messages", err)
			checkEqual(t, "listed messages", ids(got, messageID), ids(tt.want, messageID))
		})
	}

	got, err := s.ListMessages(t.Context(), "acme", hookbridge.MessageFilter{Limit: 1})
	must(t, "list messages", err)
	if len(got) == 1 {
		checkEqual(t, "listed message", normMessage(got[0]), normMessage(m[4]))
	}
}

func withSource(m *hookbridge.Message, sourceID string) *hookbridge.Message {
	m.SourceID = sourceID
	return m
}

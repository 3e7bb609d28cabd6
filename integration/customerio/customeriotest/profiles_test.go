package customeriotest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
)

func identifyAt(ts int64, amount string) string {
	stamp := ""
	if ts != 0 {
		stamp = fmt.Sprintf(`"timestamp":%d,`, ts)
	}
	return `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify",` + stamp + `"attributes":{"amount":` + amount + `}}`
}

// Customer.io keeps, for each attribute, the value of the identify with
// the newest timestamp, in whatever order calls arrive or a batch is
// applied; a call without a timestamp counts as sent when it arrives.
func TestProfilesKeepTheNewestTimestampedValue(t *testing.T) {
	reversed := customeriotest.WithBatchOrder(func(n int) []int {
		order := make([]int, n)
		for i := range order {
			order[i] = n - 1 - i
		}
		return order
	})
	tests := []struct {
		name  string
		batch []string
		want  any
	}{
		{"timestamped, applied in reverse", []string{identifyAt(10, "10"), identifyAt(20, "20"), identifyAt(30, "30")}, float64(30)},
		{"untimestamped, applied in reverse", []string{identifyAt(0, "10"), identifyAt(0, "20"), identifyAt(0, "30")}, float64(10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := customeriotest.New(t, reversed)
			body := `{"batch":[` + tt.batch[0] + `,` + tt.batch[1] + `,` + tt.batch[2] + `]}`
			if status, answer, _ := send(t, s, s.Credentials(), "POST", "https://track.customer.io/api/v2/batch", body); status != http.StatusOK {
				t.Fatalf("status %d: %s", status, answer)
			}
			if got := s.Profile("cus_1")["amount"]; got != tt.want {
				t.Errorf("amount = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("an older call arriving later changes nothing", func(t *testing.T) {
		s := customeriotest.New(t)
		send(t, s, s.Credentials(), "POST", customerio.DefaultURL, identifyAt(30, "30"))
		send(t, s, s.Credentials(), "POST", customerio.DefaultURL, identifyAt(20, "20"))
		if got := s.Profile("cus_1")["amount"]; got != float64(30) {
			t.Errorf("amount = %v, want 30", got)
		}
	})
}

// A shuffled batch still answers 207 with the indexes as sent.
func TestShuffledBatchReportsIndexesAsSent(t *testing.T) {
	s := customeriotest.New(t, customeriotest.WithBatchOrder(func(int) []int { return []int{2, 0, 1} }))
	bad := `{"type":"person","identifiers":{"id":"cus_1"},"action":"payment_completed"}`
	status, body, _ := send(t, s, s.Credentials(), "POST", "https://track.customer.io/api/v2/batch",
		`{"batch":[`+identifyAt(10, "1")+`,`+bad+`,`+identifyAt(20, "2")+`]}`)
	e := decodeErrors(t, body)
	if status != http.StatusMultiStatus || len(e.Errors) != 1 || *e.Errors[0].BatchIndex != 1 {
		t.Fatalf("status %d, body %s", status, body)
	}
	if ops := s.Accepted(); len(ops) != 2 || ops[0].BatchIndex != 2 || ops[1].BatchIndex != 0 {
		t.Errorf("accepted %+v, want index 2 applied before 0", ops)
	}
}

// Customer.io's Track API: "Events timestamped within the past 72 hours
// can trigger campaigns"; older ones are stored and trigger nothing.
func TestEventsOlderThan72HoursTriggerNoCampaign(t *testing.T) {
	sent := time.Unix(1754285445, 0) // the timestamp of event
	tests := []struct {
		name    string
		arrival time.Time
		body    string
		want    bool
	}{
		{"on time", sent.Add(time.Minute), event, true},
		{"71 hours late", sent.Add(71 * time.Hour), event, true},
		{"73 hours late", sent.Add(73 * time.Hour), event, false},
		{"without a timestamp, stamped on arrival", sent.Add(73 * time.Hour),
			`{"type":"person","identifiers":{"id":"cus_1"},"action":"event","name":"payment_completed"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := customeriotest.New(t, customeriotest.WithClock(func() time.Time { return tt.arrival }))
			if status, body, _ := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, tt.body); status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			if ops := s.Accepted(); len(ops) != 1 || ops[0].TriggersCampaigns != tt.want {
				t.Errorf("accepted %+v, want TriggersCampaigns %v", ops, tt.want)
			}
		})
	}
}

// Segment conditions compare numbers only with numbers, and timestamp
// conditions match only unix seconds (Customer.io's Timestamp Conditions
// FAQ: ISO 8601 text or milliseconds "will not match").
func TestTypedAttributeReads(t *testing.T) {
	s := customeriotest.New(t)
	body := `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify","timestamp":1754285445,"attributes":` +
		`{"n":32.65,"ns":"32.65","at":1754285445,"iso":"2025-08-04T05:30:45Z","ms":1754285445000}}`
	if status, answer, _ := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, body); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, answer)
	}
	if n, ok := s.NumberAttribute("cus_1", "n"); !ok || n != 32.65 {
		t.Errorf("n = %v, %v", n, ok)
	}
	if _, ok := s.NumberAttribute("cus_1", "ns"); ok {
		t.Error("a numeric string compares as a number")
	}
	if at, ok := s.TimestampAttribute("cus_1", "at"); !ok || at.Unix() != 1754285445 {
		t.Errorf("at = %v, %v", at, ok)
	}
	for _, name := range []string{"iso", "ms", "ns"} {
		if _, ok := s.TimestampAttribute("cus_1", name); ok {
			t.Errorf("%s matches a timestamp condition", name)
		}
	}
}

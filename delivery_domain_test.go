package hookbridge_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func TestReserveTurn(t *testing.T) {
	now := time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := []struct {
		name        string
		tat         time.Time
		rate, burst int
		maxWait     time.Duration
		wantAt      time.Duration // after now
		wantTAT     time.Duration // after now; ignored when refused
		wantOK      bool
	}{
		{"no limit goes at once", time.Time{}, 0, 0, 0, 0, 0, true},
		{"first request goes at once", time.Time{}, 10, 1, 0, 0, ms(100), true},
		{"a past tat is forgotten", now.Add(-time.Hour), 10, 1, 0, 0, ms(100), true},
		{"next turn is one interval on", now.Add(ms(100)), 10, 1, time.Second, ms(100), ms(200), true},
		{"a turn beyond the wait is refused", now.Add(ms(500)), 10, 1, ms(400), ms(500), 0, false},
		{"burst tolerance lets requests go early", now.Add(ms(200)), 10, 3, 0, 0, ms(300), true},
		{"burst used up", now.Add(ms(300)), 10, 3, 0, ms(100), 0, false},
		{"zero burst means one", now.Add(ms(100)), 10, 0, 0, ms(100), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var interval time.Duration
			if tt.rate > 0 {
				interval = time.Second / time.Duration(tt.rate)
			}
			at, tat, ok := hookbridge.ReserveTurn(tt.tat, now, interval, tt.burst, tt.maxWait)
			if ok != tt.wantOK || at.Sub(now) != tt.wantAt {
				t.Fatalf("at +%v ok %v, want at +%v ok %v", at.Sub(now), ok, tt.wantAt, tt.wantOK)
			}
			if !ok && !tat.Equal(tt.tat) {
				t.Errorf("a refused reservation moved the tat to %v", tat)
			}
			if ok && tt.rate > 0 && tat.Sub(now) != tt.wantTAT {
				t.Errorf("new tat +%v, want +%v", tat.Sub(now), tt.wantTAT)
			}
		})
	}
}

func TestKeyAt(t *testing.T) {
	payload := []byte(`{"data":{"customer":{"customer_id":"cus_1","email":"a@b.c","n":42,"vip":true,"tags":["x"],"none":null},"amount":1.5}}`)
	tests := []struct{ path, want string }{
		{"data.customer.customer_id", "cus_1"},
		{"data.customer.n", "42"},
		{"data.amount", "1.5"},
		{"data.customer.vip", "true"},
		{"data.customer.tags", ""},
		{"data.customer.none", ""},
		{"data.customer", ""},
		{"data.missing.deeper", ""},
		{"data.amount.deeper", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := hookbridge.KeyAt(payload, tt.path); got != tt.want {
			t.Errorf("KeyAt(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got := hookbridge.KeyAt([]byte(`not json`), "a"); got != "" {
		t.Errorf("KeyAt of invalid JSON = %q", got)
	}
	long := strings.Repeat("k", 500)
	got := hookbridge.KeyAt([]byte(`{"id":"`+long+`"}`), "id")
	if len(got) > 128 || !strings.HasPrefix(got, "sha256:") || got != hookbridge.KeyAt([]byte(`{"id":"`+long+`"}`), "id") {
		t.Errorf("a long key is kept as %q, want a stable hash", got)
	}
}

func TestOrderingKeyFollowsTheEndpoint(t *testing.T) {
	payload := []byte(`{"data":{"customer":{"customer_id":"cus_1","email":"a@b.c"}}}`)
	e := hookbridge.Endpoint{}
	if got := e.OrderingKey(payload); got != "" {
		t.Errorf("an unordered endpoint gives key %q", got)
	}
	e.Ordering.Enabled = true
	if got := e.OrderingKey(payload); got != "cus_1" {
		t.Errorf("default key path gives %q, want cus_1", got)
	}
	e.Ordering.KeyPath = "data.customer.email"
	if got := e.OrderingKey(payload); got != "a@b.c" {
		t.Errorf("custom key path gives %q", got)
	}
}

func TestDurations(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		text string
		bad  bool
	}{
		{in: "0s", want: 0, text: "0s"},
		{in: "5s", want: 5 * time.Second, text: "5s"},
		{in: "90s", want: 90 * time.Second, text: "1m30s"},
		{in: "2h", want: 2 * time.Hour, text: "2h"},
		{in: "5d", want: 5 * 24 * time.Hour, text: "5d"},
		{in: "1d2h", want: 26 * time.Hour, text: "1d2h"},
		{in: " 30m ", want: 30 * time.Minute, text: "30m"},
		{in: "1.5s", want: 1500 * time.Millisecond, text: "1.5s"},
		{in: "-5s", bad: true},
		{in: "5", bad: true},
		{in: "d", bad: true},
		{in: "xd", bad: true},
		{in: "", bad: true},
		{in: "65535d2562047h", bad: true},
	}
	for _, tt := range tests {
		got, err := hookbridge.ParseDuration(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseDuration(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if text := hookbridge.FormatDuration(got); text != tt.text {
			t.Errorf("FormatDuration(%v) = %q, want %q", got, text, tt.text)
		}
	}
	var d hookbridge.Duration
	if err := json.Unmarshal([]byte(`"10h"`), &d); err != nil || time.Duration(d) != 10*time.Hour {
		t.Errorf("decode \"10h\": %v, %v", time.Duration(d), err)
	}
	if err := json.Unmarshal([]byte(`600`), &d); err == nil {
		t.Errorf("a number decoded as a duration")
	}
	b, _ := json.Marshal([]hookbridge.Duration{0, hookbridge.Duration(5 * time.Minute)})
	if string(b) != `["0s","5m"]` {
		t.Errorf("encoded %s", b)
	}
}

// FuzzParseDuration: whatever ParseDuration accepts, FormatDuration writes
// in a form it reads back to the same duration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0s", "5s", "1d2h3m", "1.5s", "90m", "5d", "-1s", "d", "1dd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := hookbridge.ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
		}
		again, err := hookbridge.ParseDuration(hookbridge.FormatDuration(d))
		if err != nil || again != d {
			t.Fatalf("%q → %v → %q → %v, %v", s, d, hookbridge.FormatDuration(d), again, err)
		}
	})
}

func TestPercentileNearestRank(t *testing.T) {
	st := hookbridge.EndpointStats{}
	if st.Percentile(50) != 0 || st.SuccessRate() != 0 {
		t.Fatalf("empty stats give a percentile or a rate")
	}
	for i := 100; i >= 1; i-- {
		st.Latencies = append(st.Latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := st.Percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	st.Attempts, st.Succeeded = 4, 3
	if st.SuccessRate() != 0.75 {
		t.Errorf("success rate %v", st.SuccessRate())
	}
}

func TestAppDefaults(t *testing.T) {
	var none *hookbridge.App
	if none.DisableAfter() != hookbridge.DefaultDisableEndpointAfter || none.Schedule() != nil {
		t.Errorf("a nil app has settings")
	}
	app := &hookbridge.App{RetrySchedule: []hookbridge.Duration{0, hookbridge.Duration(time.Minute)}, DisableEndpointAfter: hookbridge.Duration(time.Hour)}
	if app.DisableAfter() != time.Hour || len(app.Schedule()) != 2 || app.Schedule()[1] != time.Minute {
		t.Errorf("app settings %v %v", app.DisableAfter(), app.Schedule())
	}
}

func TestOperationalEvents(t *testing.T) {
	at := time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)
	ev := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", DeliveryID: "dlv_1", Attempts: 8}, at)
	again := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", DeliveryID: "dlv_1", Attempts: 8}, at.Add(time.Hour))
	later := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", DeliveryID: "dlv_1", Attempts: 9}, at)
	if ev.ID != again.ID || ev.ID == later.ID {
		t.Errorf("event ids %q, %q, %q: one per delivery and attempt count", ev.ID, again.ID, later.ID)
	}
	var payload struct {
		Type      string         `json:"type"`
		Timestamp time.Time      `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(ev.Payload, &payload); err != nil || payload.Type != hookbridge.EventDeliveryExhausted ||
		!payload.Timestamp.Equal(at) || payload.Data["delivery_id"] != "dlv_1" {
		t.Errorf("payload %s (%v)", ev.Payload, err)
	}
	m := ev.Message("acme")
	if m.SourceID != hookbridge.OperationalSourceID || m.EventID != ev.ID || m.EventType != ev.Type {
		t.Errorf("message %+v", m)
	}
}

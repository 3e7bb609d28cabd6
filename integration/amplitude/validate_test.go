package amplitude_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/amplitude"
	"github.com/hookbridge/hookbridge/integration/amplitude/amplitudetest"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// validEvent is an event the HTTP V2 API takes, with fields replaced
// ("-" removes one).
func validEvent(replace map[string]string) string {
	fields := map[string]string{
		"event_type": `"Payment Completed"`,
		"user_id":    `"cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc"`,
		"time":       fmt.Sprint(now.Add(-time.Minute).UnixMilli()),
		"insert_id":  `"01K1SRXQY05N6H6NPMB87ZM6HG"`,
		"price":      "32.65",
		"quantity":   "1",
		"revenue":    "32.65",
	}
	for k, v := range replace {
		fields[k] = v
	}
	var out []string
	for _, k := range []string{"event_type", "user_id", "device_id", "time", "insert_id", "price", "quantity", "revenue", "event_properties", "user_properties"} {
		if v, ok := fields[k]; ok && v != "-" {
			out = append(out, fmt.Sprintf("%q:%s", k, v))
		}
	}
	return "{" + strings.Join(out, ",") + "}"
}

func body(events ...string) string { return `{"events":[` + strings.Join(events, ",") + `]}` }

func prepared(t *testing.T, url, b string) *hookbridge.OutboundRequest {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(b)}
	sc := hookbridge.SendContext{IdempotencyKey: "01K1SRXQY05N6H6NPMB87ZM6HG", Now: now}
	if err := amplitude.New().Prepare(req, amplitudetest.New(t).Credentials(), sc); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, fake *amplitudetest.Server, req *hookbridge.OutboundRequest) delivery.Response {
	t.Helper()
	return (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
}

func problemsOn(ps []hookbridge.Problem, field string) []hookbridge.Problem {
	var out []hookbridge.Problem
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

func TestAValidRequestHasNoProblems(t *testing.T) {
	req := prepared(t, amplitude.DefaultURL, body(validEvent(nil)))
	if ps := amplitude.New().Validate(req, now); len(ps) != 0 {
		t.Fatalf("problems %+v, want none", ps)
	}
}

func TestEachRuleOfTheHTTPV2API(t *testing.T) {
	many := strings.TrimSuffix(strings.Repeat(validEvent(nil)+",", 2001), ",")
	big := strings.Repeat("x", 1<<20)
	cases := []struct {
		name, url, body, field string
		warning                bool
	}{
		{"no event_type", "", body(validEvent(map[string]string{"event_type": "-"})), "events[0].event_type", false},
		{"no user_id nor device_id", "", body(validEvent(map[string]string{"user_id": "-"})), "events[0].user_id", false},
		{"short user_id", "", body(validEvent(map[string]string{"user_id": `"u1"`})), "events[0].user_id", false},
		{"user_id a number", "", body(validEvent(map[string]string{"user_id": "12345678"})), "events[0].user_id", false},
		{"short device_id", "", body(validEvent(map[string]string{"user_id": "-", "device_id": `"d1"`})), "events[0].device_id", false},
		{"device_id of zeros", "", body(validEvent(map[string]string{"user_id": "-", "device_id": `"00000000-0000-0000-0000-000000000000"`})), "events[0].device_id", false},
		{"time as text", "", body(validEvent(map[string]string{"time": `"2025-08-04"`})), "events[0].time", false},
		{"time with a fraction", "", body(validEvent(map[string]string{"time": "1754285445000.5"})), "events[0].time", false},
		{"time in seconds", "", body(validEvent(map[string]string{"time": "1754285445"})), "events[0].time", true},
		{"price as text", "", body(validEvent(map[string]string{"price": `"32.65"`})), "events[0].price", false},
		{"revenue as text", "", body(validEvent(map[string]string{"revenue": `"32.65"`})), "events[0].revenue", false},
		{"quantity with a fraction", "", body(validEvent(map[string]string{"quantity": "1.5"})), "events[0].quantity", false},
		{"event_properties not an object", "", body(validEvent(map[string]string{"event_properties": "[1]"})), "events[0].event_properties", false},
		{"no events", "", `{"event":"x"}`, "events", false},
		{"an event not an object", "", body(`"Payment Completed"`), "events[0]", false},
		{"time over a day ahead", "", body(validEvent(map[string]string{"time": fmt.Sprint(now.Add(48 * time.Hour).UnixMilli())})), "events[0].time", true},
		{"user_properties not an object", "", body(validEvent(map[string]string{"user_properties": `"gold"`})), "events[0].user_properties", false},
		{"empty events", "", body(), "events", false},
		{"over 2000 events", "", body(many), "events", false},
		{"over 1 MB", "", body(validEvent(map[string]string{"event_properties": `{"x":"` + big + `"}`})), "body", false},
		{"not JSON", "", "{", "body", false},
		{"not the HTTP V2 API", "https://api2.amplitude.com/batch", body(validEvent(nil)), "url", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := c.url
			if url == "" {
				url = amplitude.DefaultURL
			}
			ps := problemsOn(amplitude.New().Validate(prepared(t, url, c.body), now), c.field)
			if len(ps) == 0 {
				t.Fatalf("no problem on %s", c.field)
			}
			if ps[0].Warning != c.warning || ps[0].Fix == "" {
				t.Errorf("problem %+v: want warning=%v, with a fix", ps[0], c.warning)
			}
		})
	}
}

func TestMinIDLengthOptionIsHonoured(t *testing.T) {
	b := `{"options":{"min_id_length":2},"events":[` + validEvent(map[string]string{"user_id": `"u1"`}) + `]}`
	if ps := problemsOn(amplitude.New().Validate(prepared(t, amplitude.DefaultURL, b), now), "events[0].user_id"); len(ps) != 0 {
		t.Errorf("problems %+v: min_id_length 2 allows u1", ps)
	}
}

func TestARequestWithoutAPIKeyIsRefused(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: amplitude.DefaultURL, Body: []byte(body(validEvent(nil)))}
	if ps := problemsOn(amplitude.New().Validate(req, now), "api_key"); len(ps) == 0 {
		t.Fatal("no problem for the missing api_key")
	}
}

func TestAMissingInsertIDIsAWarning(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: amplitude.DefaultURL,
		Body: []byte(`{"api_key":"k","events":[` + validEvent(map[string]string{"insert_id": "-"}) + `]}`)}
	if ps := problemsOn(amplitude.New().Validate(req, now), "events[0].insert_id"); len(ps) != 1 || !ps[0].Warning {
		t.Fatalf("problems %+v, want a warning", ps)
	}
}

func TestAnotherMethodIsRefused(t *testing.T) {
	req := prepared(t, amplitude.DefaultURL, body(validEvent(nil)))
	req.Method = "PUT"
	if ps := problemsOn(amplitude.New().Validate(req, now), "method"); len(ps) == 0 {
		t.Fatal("no problem for PUT")
	}
}

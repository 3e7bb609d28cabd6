package inngest_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/inngest"
	"github.com/hookbridge/hookbridge/integration/inngest/inngesttest"
)

func TestValidatorRules(t *testing.T) {
	in := inngest.New()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	url := "https://inn.gs/e/key"
	ms := strconv.FormatInt(now.UnixMilli(), 10)
	cases := []struct {
		name, method, url, body, field string
		warning                        bool
	}{
		{"no key in the path", "POST", "https://inn.gs/e/", `{"name":"a"}`, "url", false},
		{"not POST", "PUT", url, `{"name":"a"}`, "method", false},
		{"not an event", "POST", url, `"a"`, "body", false},
		{"empty array", "POST", url, `[]`, "body", false},
		{"no name", "POST", url, `{"data":{}}`, "name", false},
		{"reserved name", "POST", url, `{"name":"inngest/function.failed"}`, "name", false},
		{"data not an object", "POST", url, `{"name":"a","data":[1]}`, "data", false},
		{"user not an object", "POST", url, `{"name":"a","user":"u"}`, "user", false},
		{"id not a string", "POST", url, `{"name":"a","id":7}`, "id", false},
		{"ts not an integer", "POST", url, `{"name":"a","ts":"2025-01-01"}`, "ts", false},
		{"ts in seconds", "POST", url, `{"name":"a","ts":1754285445}`, "ts", true},
		{"ts in the future", "POST", url, `{"name":"a","ts":` + strconv.FormatInt(now.Add(time.Hour).UnixMilli(), 10) + `}`, "ts", true},
		{"over the free plan", "POST", url, `{"name":"a","data":{"p":"` + strings.Repeat("x", inngest.FreePlanEventBytes) + `"}}`, "body", true},
		{"over 3 MiB", "POST", url, `{"name":"a","data":{"p":"` + strings.Repeat("x", inngest.MaxEventBytes) + `"}}`, "body", false},
		{"an array's event", "POST", url, `[{"name":"a"},{"data":{}}]`, "[1].name", false},
	}
	for _, c := range cases {
		req := &hookbridge.OutboundRequest{Method: c.method, URL: c.url, Body: []byte(c.body)}
		found := false
		for _, p := range in.Validate(req, now) {
			found = found || (p.Field == c.field && p.Warning == c.warning && p.Fix != "")
		}
		if !found {
			t.Errorf("%s: no problem on %s (warning %v): %+v", c.name, c.field, c.warning, in.Validate(req, now))
		}
	}
	ok := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(`{"name":"billing/x","data":{},"user":{"external_id":"c"},"id":"k","ts":` + ms + `}`)}
	if ps := in.Validate(ok, now); len(ps) != 0 {
		t.Errorf("a good event gets %+v", ps)
	}
}

func TestAnswers(t *testing.T) {
	fake := inngesttest.New(t)
	wrong := hookbridge.Credentials{inngest.FieldEventKey: "revoked-key"}
	if j := send(t, fake, prepared(t, wrong, "payments", "payment.succeeded", "k1")); j.Outcome != "failed" ||
		!strings.Contains(j.Reason, "Event key not found") || !strings.Contains(j.Reason, "Event Keys") {
		t.Errorf("401: %+v", j)
	}
	noName := &hookbridge.OutboundRequest{Method: "POST", URL: inngest.EventURL(fake.Credentials()), Body: []byte(`{"data":{}}`),
		Headers: map[string]string{"Content-Type": "application/json"}}
	if j := send(t, fake, noName); j.Outcome != "failed" || !strings.Contains(j.Reason, "event name is required") {
		t.Errorf("400: %+v", j)
	}
	big := &hookbridge.OutboundRequest{Method: "POST", URL: inngest.EventURL(fake.Credentials()),
		Body: []byte(`{"name":"a","data":{"p":"` + strings.Repeat("x", inngest.FreePlanEventBytes) + `"}}`)}
	if j := send(t, fake, big); j.Outcome != "failed" || !strings.Contains(j.Reason, "maximum event size") {
		t.Errorf("413: %+v", j)
	}
	fake.RateLimitNext(1, time.Second)
	if j := send(t, fake, prepared(t, fake.Credentials(), "payments", "payment.succeeded", "k2")); j.Outcome != "retried" {
		t.Errorf("429: %+v", j)
	}
	r := inngest.New().(hookbridge.AnswerReader).ReadAnswer(&hookbridge.OutboundRequest{URL: "https://inn.gs/e/k"},
		hookbridge.Answer{Status: 200, Body: []byte(`{"ids":[],"status":400,"error":"bad event"}`)})
	if r.Verdict != hookbridge.AnswerFailed || r.Reason != "bad event" {
		t.Errorf("a 200 reporting 400: %+v", r)
	}
}

func TestAnArraysEventsAreCheckedOneByOne(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://inn.gs/e/key", Body: []byte(` [{"name":"a","id":null,"data":null}, 7, {"name":"b","ts":1.5}] `)}
	ps := inngest.New().Validate(req, time.Now())
	if len(ps) != 2 || ps[0].Field != "[1]" || ps[1].Field != "[2].ts" {
		t.Errorf("problems %+v, want [1] not an object and [2].ts not an integer", ps)
	}
}

// An array's events get the delivery's key and their place as ids, and
// Prepare and Validate read the array once between them; an array whose
// events all have ids is sent as it was written.
func TestAnArrayReadsItsBodyOnce(t *testing.T) {
	in := inngest.New()
	creds := hookbridge.Credentials{inngest.FieldEventKey: "k"}
	sc := hookbridge.SendContext{IdempotencyKey: "idem_1"}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: inngest.DefaultURL, Body: []byte(`[{"name":"billing/a","id":""},{"name":"billing/b","id":"mine"},{"name":"billing/c"}]`)}
	if err := in.Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	if ps := in.Validate(req, time.Now()); len(ps) != 0 {
		t.Fatalf("problems %+v", ps)
	}
	want := `[{"id":"idem_1-0","name":"billing/a"},{"id":"mine","name":"billing/b"},{"id":"idem_1-2","name":"billing/c"}]`
	if string(req.Body) != want || req.BodyReads() != 1 {
		t.Errorf("body %s read %d times, want %s read once", req.Body, req.BodyReads(), want)
	}
	written := ` [ {"name":"billing/a", "id":"x"} ] `
	req = &hookbridge.OutboundRequest{Method: "POST", URL: inngest.DefaultURL, Body: []byte(written)}
	if err := in.Prepare(req, creds, sc); err != nil || string(req.Body) != written {
		t.Errorf("body %q (%v), want it as it was written", req.Body, err)
	}
}

// In a large array each event is measured on its own.
func TestAnArraysEventsAreMeasuredOneByOne(t *testing.T) {
	big := `{"name":"a","data":{"p":"` + strings.Repeat("x", inngest.FreePlanEventBytes) + `"}}`
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://inn.gs/e/key", Body: []byte(`[{"name":"a"},` + big + `]`)}
	ps := inngest.New().Validate(req, time.Now())
	if len(ps) != 1 || ps[0].Field != "[1]" || !ps[0].Warning || !strings.Contains(ps[0].Message, strconv.Itoa(len(big))+" bytes") {
		t.Errorf("problems %+v, want the second event over the free plan, %d bytes", ps, len(big))
	}
}

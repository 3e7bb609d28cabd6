package amplitude_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/amplitude"
	"github.com/hookbridge/hookbridge/integration/amplitude/amplitudetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

type upload struct {
	APIKey string           `json:"api_key"`
	Events []map[string]any `json:"events"`
}

func uploadOf(t *testing.T, req *hookbridge.OutboundRequest) upload {
	t.Helper()
	var u upload
	if err := json.Unmarshal(req.Body, &u); err != nil {
		t.Fatalf("body %s: %v", req.Body, err)
	}
	return u
}

func TestPrepareSetsTheKeyInTheBodyAndTheRegion(t *testing.T) {
	fake := amplitudetest.New(t, amplitudetest.WithRegion("eu"))
	req := &hookbridge.OutboundRequest{URL: amplitude.DefaultURL,
		Body: []byte(`{"api_key":"someone-elses-key","events":[` + validEvent(map[string]string{"insert_id": "-"}) + `]}`)}
	if err := amplitude.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: "01K1SRXQY05N6H6NPMB87ZM6HG"}); err != nil {
		t.Fatal(err)
	}
	u := uploadOf(t, req)
	if !strings.HasPrefix(req.URL, "https://api.eu.amplitude.com/2/httpapi") || u.APIKey != amplitudetest.APIKey ||
		u.Events[0]["insert_id"] != "01K1SRXQY05N6H6NPMB87ZM6HG" || req.Header("Content-Type") != "application/json" {
		t.Fatalf("request %s %v %s: want the EU host, the credential's key, the idempotency key as insert_id", req.URL, req.Headers, req.Body)
	}
	if resp := send(t, fake, req); resp.Status != 200 || len(fake.Events()) != 1 {
		t.Errorf("the fake answered %d %s", resp.Status, resp.Body)
	}
}

func TestASingleEventBecomesTheRequestsEvent(t *testing.T) {
	req := prepared(t, amplitude.DefaultURL, validEvent(map[string]string{"insert_id": "-"}))
	if u := uploadOf(t, req); len(u.Events) != 1 || u.Events[0]["event_type"] != "Payment Completed" || u.APIKey == "" {
		t.Errorf("body %s, want {api_key, events: [the event]}", req.Body)
	}
}

func TestSeveralEventsGetTheirOwnInsertIDs(t *testing.T) {
	req := prepared(t, amplitude.DefaultURL, body(validEvent(map[string]string{"insert_id": "-"}), validEvent(map[string]string{"insert_id": "-"})))
	u := uploadOf(t, req)
	if u.Events[0]["insert_id"] == u.Events[1]["insert_id"] || u.Events[1]["insert_id"] != amplitude.InsertID("01K1SRXQY05N6H6NPMB87ZM6HG", 1, 2) {
		t.Errorf("insert_ids %v, %v", u.Events[0]["insert_id"], u.Events[1]["insert_id"])
	}
}

func TestTheKeyGoesNowhereElse(t *testing.T) {
	fake := amplitudetest.New(t)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/2/httpapi", Body: []byte(body(validEvent(nil)))}
	if err := amplitude.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(req.Body), amplitudetest.APIKey) {
		t.Errorf("the key went to example.com: %s", req.Body)
	}
}

func TestTheRecordedRequestMasksTheKey(t *testing.T) {
	fake := amplitudetest.New(t)
	req := prepared(t, amplitude.DefaultURL, body(validEvent(nil)))
	if !strings.Contains(string(req.Body), amplitudetest.APIKey) {
		t.Fatalf("body %s lacks the key", req.Body)
	}
	kittest.SecretsMasked(t, amplitude.New(), fake.Credentials(), req)
}

func TestARetriedDeliveryIsIngestedOnce(t *testing.T) {
	fake := amplitudetest.New(t)
	integ := amplitude.New()
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.NewID("msg")}
	var ids []any
	for range 2 {
		req := &hookbridge.OutboundRequest{URL: amplitude.DefaultURL, Body: []byte(body(validEvent(map[string]string{"insert_id": "-"})))}
		if err := integ.Prepare(req, fake.Credentials(), sc); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, uploadOf(t, req).Events[0]["insert_id"])
		if resp := send(t, fake, req); delivery.Judge(integ, req, resp).Outcome != "accepted" {
			t.Fatalf("answer %d %s", resp.Status, resp.Body)
		}
	}
	if ids[0] != ids[1] || len(fake.Events()) != 1 || len(fake.Duplicates()) != 1 {
		t.Errorf("insert_ids %v; %d ingested, %d duplicates: want the same id, ingested once", ids, len(fake.Events()), len(fake.Duplicates()))
	}
}

func TestCredentialChecks(t *testing.T) {
	info := amplitude.New().Info()
	if _, err := hookbridge.CheckCredentials(info, amplitudetest.New(t).Credentials()); err != nil {
		t.Fatalf("the fake's credentials: %v", err)
	}
	for field, bad := range map[string]string{"api_key": "has a space in it", "region": "in"} {
		creds := amplitudetest.New(t).Credentials()
		creds[field] = bad
		if _, err := hookbridge.CheckCredentials(info, creds); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s = %q: error %v, want it refused", field, bad, err)
		}
	}
}

// readOf reads resp to req, a batch of batchSize deliveries' items (0 for
// one delivery's request).
func readOf(integ hookbridge.Integration, req *hookbridge.OutboundRequest, resp delivery.Response, batchSize ...int) hookbridge.AnswerReading {
	a := hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body)}
	if len(batchSize) > 0 {
		a.BatchSize = batchSize[0]
	}
	return hookbridge.ReadAnswer(integ, req, a)
}

func TestAnswersFromTheFake(t *testing.T) {
	integ := amplitude.New()
	cases := []struct {
		name    string
		fake    *amplitudetest.Server
		creds   func(hookbridge.Credentials)
		body    string
		inject  func(*amplitudetest.Server)
		status  int
		verdict hookbridge.AnswerVerdict
		reason  string
		after   time.Duration
	}{
		{name: "wrong key", fake: amplitudetest.New(t), creds: func(c hookbridge.Credentials) { c["api_key"] = "another-key-123456" },
			status: 400, verdict: hookbridge.AnswerFailed, reason: "does not know the API key"},
		{name: "wrong region", fake: amplitudetest.New(t, amplitudetest.WithRegion("eu")), creds: func(c hookbridge.Credentials) { c["region"] = "us" },
			status: 400, verdict: hookbridge.AnswerFailed, reason: "does not know the API key"},
		{name: "the only event refused", fake: amplitudetest.New(t), body: body(validEvent(map[string]string{"user_id": `"u1"`})),
			status: 400, verdict: hookbridge.AnswerFailed, reason: "invalid field user_id"},
		{name: "no events", fake: amplitudetest.New(t), body: `{"event":"x"}`,
			status: 400, verdict: hookbridge.AnswerFailed, reason: "no events"},
		{name: "one of a delivery's two events refused", fake: amplitudetest.New(t), body: body(validEvent(nil), validEvent(map[string]string{"event_type": "-"})),
			status: 400, verdict: hookbridge.AnswerFailed, reason: "missing field event_type, in event 1 of 2"},
		{name: "throttled user", fake: amplitudetest.New(t), inject: func(s *amplitudetest.Server) { s.ThrottleNext(1, "cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc") },
			status: 429, verdict: hookbridge.AnswerRetry, reason: "user cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc", after: 30 * time.Second},
		{name: "daily quota", fake: amplitudetest.New(t), inject: func(s *amplitudetest.Server) { s.QuotaExceededNext(1, "cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc") },
			status: 429, verdict: hookbridge.AnswerRetry, reason: "daily event quota", after: time.Hour},
		{name: "too large", fake: amplitudetest.New(t), body: body(strings.TrimSuffix(strings.Repeat(validEvent(nil)+",", 2001), ",")),
			status: 413, verdict: hookbridge.AnswerFailed, reason: "1 MB or 2,000 events"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			creds := c.fake.Credentials()
			if c.creds != nil {
				c.creds(creds)
			}
			b := c.body
			if b == "" {
				b = body(validEvent(nil))
			}
			if c.inject != nil {
				c.inject(c.fake)
			}
			req := &hookbridge.OutboundRequest{Method: "POST", URL: amplitude.DefaultURL, Body: []byte(b)}
			if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k1"}); err != nil {
				t.Fatal(err)
			}
			resp := send(t, c.fake, req)
			r := readOf(integ, req, resp)
			if resp.Status != c.status || r.Verdict != c.verdict || !strings.Contains(r.Reason, c.reason) || r.RetryAfter != c.after {
				t.Errorf("answer %d %s read as %+v", resp.Status, resp.Body, r)
			}
			if r.Verdict == hookbridge.AnswerFailed && r.Fix == "" {
				t.Errorf("reading %+v has no fix", r)
			}
			if strings.Contains(r.Reason, amplitudetest.APIKey) {
				t.Errorf("the reading shows the key: %+v", r)
			}
		})
	}
}

func TestAPartialBatchNamesTheRefusedEvents(t *testing.T) {
	fake := amplitudetest.New(t)
	integ := amplitude.New()
	b := integ.(hookbridge.Batcher)
	var items [][]byte
	var like *hookbridge.OutboundRequest
	for i, id := range []string{`"cus_1234567"`, `"u1"`, `"cus_7654321"`, `"u2"`} {
		req := &hookbridge.OutboundRequest{URL: amplitude.DefaultURL, Body: []byte(body(validEvent(map[string]string{"user_id": id, "insert_id": "-"})))}
		if err := integ.Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: hookbridge.NewID("msg")}); err != nil {
			t.Fatal(err)
		}
		item, ok := b.BatchItem(req)
		if !ok {
			t.Fatalf("item %d cannot go in a batch: %s", i, req.Body)
		}
		if strings.Contains(string(item), amplitudetest.APIKey) {
			t.Fatalf("item %s carries the key", item)
		}
		items = append(items, item)
		like = req
	}
	batch, err := b.BatchRequest(like, items)
	if err != nil {
		t.Fatal(err)
	}
	resp := send(t, fake, batch)
	if resp.Status != http.StatusBadRequest || len(fake.Events()) != 0 {
		t.Fatalf("answer %d %s, %d ingested: want 400 and nothing ingested", resp.Status, resp.Body, len(fake.Events()))
	}
	if r := readOf(integ, batch, resp, 4); r.Verdict != hookbridge.AnswerRetry {
		t.Errorf("reading %+v, want the batch sent again", r)
	}
	errs := b.SplitBatchResponse(resp.Status, []byte(resp.Body), 4)
	if len(errs) != 4 || errs[0] != "" || errs[2] != "" || errs[1] != "invalid field user_id" || errs[3] != "invalid field user_id" {
		t.Fatalf("item errors %q", errs)
	}
	again, err := b.BatchRequest(like, [][]byte{items[0], items[2]})
	if err != nil {
		t.Fatal(err)
	}
	if resp := send(t, fake, again); resp.Status != 200 || len(fake.Events()) != 2 {
		t.Errorf("the others sent again: %d %s", resp.Status, resp.Body)
	}
}

func TestSplitBatchResponse(t *testing.T) {
	b := amplitude.New().(hookbridge.Batcher)
	answer := `{"code":400,"error":"x","events_with_invalid_fields":{"time":[0],"user_id":[0,2]},"events_with_missing_fields":{"event_type":[3]},"silenced_events":[1],"x":[9]}`
	errs := b.SplitBatchResponse(400, []byte(answer), 4)
	want := []string{"invalid field time, invalid field user_id", "silenced device (Amplitude blocks its events)", "invalid field user_id", "missing field event_type"}
	if strings.Join(errs, "|") != strings.Join(want, "|") {
		t.Errorf("item errors %q, want %q", errs, want)
	}
	for _, c := range []struct {
		status int
		body   string
	}{{200, `{"code":200}`}, {429, `{"throttled_events":[0]}`}, {413, ""}, {400, `{"code":400,"missing_field":"api_key"}`}, {400, `{"code":400,"error":"Invalid API key: x"}`}} {
		if errs := b.SplitBatchResponse(c.status, []byte(c.body), 4); errs != nil {
			t.Errorf("%d %s: item errors %q, want nil", c.status, c.body, errs)
		}
	}
}

func TestWhatCannotGoInABatch(t *testing.T) {
	b := amplitude.New().(hookbridge.Batcher)
	for name, req := range map[string]*hookbridge.OutboundRequest{
		"two events":   {Method: "POST", URL: amplitude.DefaultURL, Body: []byte(body(validEvent(nil), validEvent(nil)))},
		"options":      {Method: "POST", URL: amplitude.DefaultURL, Body: []byte(`{"options":{"min_id_length":1},"events":[` + validEvent(nil) + `]}`)},
		"another host": {Method: "POST", URL: "https://example.com/2/httpapi", Body: []byte(body(validEvent(nil)))},
		"/batch":       {Method: "POST", URL: "https://api2.amplitude.com/batch", Body: []byte(body(validEvent(nil)))},
	} {
		if _, ok := b.BatchItem(req); ok {
			t.Errorf("%s went in a batch", name)
		}
	}
	if l := b.BatchLimits(); l.MaxItems != 2000 || l.MaxBytes != 1<<20 {
		t.Errorf("limits %+v", l)
	}
}

// A handler's single event, wrapped as the request's one event, leaves a
// body that Prepare, Validate and BatchItem read once between them.
func TestAWrappedEventIsReadOnce(t *testing.T) {
	req := prepared(t, amplitude.DefaultURL, validEvent(map[string]string{"insert_id": "-"}))
	if ps := hookbridge.Blocking(amplitude.New().Validate(req, now)); len(ps) != 0 {
		t.Fatalf("problems %+v", ps)
	}
	if _, ok := amplitude.New().(hookbridge.Batcher).BatchItem(req); !ok {
		t.Fatalf("body %s cannot go in a batch", req.Body)
	}
	if u := uploadOf(t, req); len(u.Events) != 1 || u.APIKey != amplitudetest.APIKey || u.Events[0]["insert_id"] == nil || req.BodyReads() != 1 {
		t.Errorf("body %s read %d times: want the credential's key and one event with an insert_id, read once", req.Body, req.BodyReads())
	}
}

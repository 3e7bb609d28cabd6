package mixpanel_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

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
	integ := mixpanel.New()
	body := "[" + validEvent(nil) + "]"
	cases := []struct {
		name    string
		fake    *mixpaneltest.Server
		creds   func(hookbridge.Credentials)
		url     string
		status  int
		verdict hookbridge.AnswerVerdict
		outcome string
		reason  string
	}{
		{name: "wrong secret", fake: mixpaneltest.New(t), creds: func(c hookbridge.Credentials) { c["service_account_secret"] = "wrong-secret-0000" },
			status: 401, verdict: hookbridge.AnswerFailed, outcome: "failed", reason: "Invalid username or secret"},
		{name: "another project", fake: mixpaneltest.New(t), creds: func(c hookbridge.Credentials) { c["project_id"] = "999" },
			status: 403, verdict: hookbridge.AnswerFailed, outcome: "failed", reason: "does not have access"},
		{name: "wrong region", fake: mixpaneltest.New(t, mixpaneltest.WithRegion("eu")), creds: func(c hookbridge.Credentials) { c["region"] = "us" },
			status: 401, verdict: hookbridge.AnswerFailed, outcome: "failed", reason: "data residency"},
		{name: "no project id", fake: mixpaneltest.New(t), creds: func(c hookbridge.Credentials) { delete(c, "project_id") },
			status: 400, verdict: hookbridge.AnswerFailed, outcome: "failed", reason: "Project ID"},
		{name: "every event refused", fake: mixpaneltest.New(t), url: "https://api.mixpanel.com/import?strict=1",
			status: 400, verdict: hookbridge.AnswerFailed, outcome: "failed", reason: "properties.distinct_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			creds := c.fake.Credentials()
			if c.creds != nil {
				c.creds(creds)
			}
			b := body
			if c.status == 400 {
				b = "[" + validEvent(map[string]string{"distinct_id": `"anonymous"`}) + "]"
			}
			req := &hookbridge.OutboundRequest{Method: "POST", URL: mixpanel.DefaultURL, Body: []byte(b)}
			if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k1"}); err != nil {
				t.Fatal(err)
			}
			resp := send(t, c.fake, req)
			r := readOf(integ, req, resp)
			j := delivery.Judge(integ, req, resp)
			if resp.Status != c.status || r.Verdict != c.verdict || j.Outcome != c.outcome || !strings.Contains(j.Reason, c.reason) {
				t.Errorf("answer %d %s read as %+v, judged %+v", resp.Status, resp.Body, r, j)
			}
			if r.Verdict == hookbridge.AnswerFailed && r.Fix == "" {
				t.Errorf("reading %+v has no fix", r)
			}
		})
	}
}

func TestADeliverysPartlyRefusedEventsFailIt(t *testing.T) {
	fake := mixpaneltest.New(t)
	integ := mixpanel.New()
	two := "[" + validEvent(map[string]string{"$insert_id": "-"}) + "," + validEvent(map[string]string{"$insert_id": "-", "distinct_id": `"nil"`}) + "]"
	req := &hookbridge.OutboundRequest{URL: mixpanel.DefaultURL, Body: []byte(two)}
	if err := integ.Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	resp := send(t, fake, req)
	if r := readOf(integ, req, resp); resp.Status != 400 || r.Verdict != hookbridge.AnswerFailed || !strings.Contains(r.Reason, "imported 1 of the events and refused 1") {
		t.Errorf("answer %d %s read as %+v, want failed, saying what was imported", resp.Status, resp.Body, r)
	}
}

func TestRateLimitIsRetriedAfterItsDelay(t *testing.T) {
	fake := mixpaneltest.New(t)
	fake.RateLimitNext(1, 3*time.Second)
	req := prepared(t, mixpanel.DefaultURL, "["+validEvent(nil)+"]")
	resp := send(t, fake, req)
	if j := delivery.Judge(mixpanel.New(), req, resp); resp.Status != 429 || j.Outcome != "retried" || resp.Headers["Retry-After"] != "3" {
		t.Errorf("answer %d %v judged %+v, want retried after 3s", resp.Status, resp.Headers, j)
	}
}

func TestAPartialImportIsAcceptedAndTheRefusedEventNamed(t *testing.T) {
	fake := mixpaneltest.New(t)
	integ := mixpanel.New()
	b := integ.(hookbridge.Batcher)
	var items [][]byte
	var like *hookbridge.OutboundRequest
	for i, id := range []string{`"cus_1234567"`, `"null"`, `"cus_7654321"`} {
		req := &hookbridge.OutboundRequest{URL: mixpanel.DefaultURL,
			Body: []byte("[" + validEvent(map[string]string{"distinct_id": id, "$insert_id": "-"}) + "]")}
		if err := integ.Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: hookbridge.NewID("msg")}); err != nil {
			t.Fatal(err)
		}
		item, ok := b.BatchItem(req)
		if !ok {
			t.Fatalf("item %d cannot go in a batch: %s", i, req.Body)
		}
		items = append(items, item)
		like = req
	}
	batch, err := b.BatchRequest(like, items)
	if err != nil {
		t.Fatal(err)
	}
	resp := send(t, fake, batch)
	if resp.Status != http.StatusBadRequest || len(fake.Events()) != 2 {
		t.Fatalf("answer %d %s, %d events imported: want strict mode's 400, two imported", resp.Status, resp.Body, len(fake.Events()))
	}
	if r := readOf(integ, batch, resp, 3); r.Verdict != hookbridge.AnswerAccepted {
		t.Errorf("reading %+v, want the batch accepted", r)
	}
	errs := b.SplitBatchResponse(resp.Status, []byte(resp.Body), 3)
	if len(errs) != 3 || errs[0] != "" || errs[2] != "" || !strings.Contains(errs[1], "distinct_id") {
		t.Errorf("item errors %q, want only the second, naming distinct_id", errs)
	}
}

func TestSplitBatchResponse(t *testing.T) {
	b := mixpanel.New().(hookbridge.Batcher)
	body := `{"code":400,"num_records_imported":1,"status":"Bad Request","failed_records":[` +
		`{"index":0,"insert_id":"a1","field":"properties.time","message":"'properties.time' is invalid"},` +
		`{"index":2,"$insert_id":"a3","field":"properties.distinct_id","message":"bad id"},` +
		`{"index":9,"field":"x","message":"out of range"}]}`
	errs := b.SplitBatchResponse(400, []byte(body), 3)
	if len(errs) != 3 || !strings.Contains(errs[0], "properties.time") || !strings.Contains(errs[0], "a1") ||
		errs[1] != "" || !strings.Contains(errs[2], "a3") {
		t.Errorf("item errors %q", errs)
	}
	for _, status := range []int{200, 401, 429, 500} {
		if errs := b.SplitBatchResponse(status, []byte(body), 3); errs != nil {
			t.Errorf("status %d: item errors %q, want nil (the answer concerns the batch)", status, errs)
		}
	}
	if errs := b.SplitBatchResponse(400, []byte(`{"error":"unable to parse"}`), 3); errs != nil {
		t.Errorf("a 400 without failed_records: %q, want nil", errs)
	}
}

func TestWhatCannotGoInABatch(t *testing.T) {
	b := mixpanel.New().(hookbridge.Batcher)
	two := "[" + validEvent(nil) + "," + validEvent(nil) + "]"
	for name, req := range map[string]*hookbridge.OutboundRequest{
		"two events":   {Method: "POST", URL: mixpanel.DefaultURL, Body: []byte(two)},
		"another host": {Method: "POST", URL: "https://example.com/import", Body: []byte("[" + validEvent(nil) + "]")},
		"/track":       {Method: "POST", URL: "https://api.mixpanel.com/track", Body: []byte("[" + validEvent(nil) + "]")},
		"GET":          {Method: "GET", URL: mixpanel.DefaultURL, Body: []byte("[" + validEvent(nil) + "]")},
	} {
		if _, ok := b.BatchItem(req); ok {
			t.Errorf("%s went in a batch", name)
		}
	}
	if l := b.BatchLimits(); l.MaxItems != 2000 || l.MaxBytes != 10<<20 || l.MaxItemBytes != 1<<20 {
		t.Errorf("limits %+v", l)
	}
}

package templatetest

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
)

// ByID returns the integration's template id; the test fails without one.
func ByID(t testing.TB, in hookbridge.Integration, id string) hookbridge.Template {
	t.Helper()
	for _, tpl := range in.Info().Templates {
		if tpl.ID == id {
			return tpl
		}
	}
	t.Fatalf("no template %s", id)
	return hookbridge.Template{}
}

// RunPrepared runs a template on a sample event with Run and, if the
// handler changed the webhook, prepares the request it built as the
// integration would send it; changed is false when it did not.
func RunPrepared(t testing.TB, in hookbridge.Integration, tpl hookbridge.Template, eventType string, payload []byte,
	defaultURL string, creds hookbridge.Credentials, sc hookbridge.SendContext) (req *hookbridge.OutboundRequest, changed bool) {
	t.Helper()
	res, err := Run(tpl.Code, eventType, payload, defaultURL)
	if err != nil {
		t.Fatalf("%s on %s: %v", tpl.ID, eventType, err)
	}
	if !res.Changed {
		return nil, false
	}
	prepared := res.Request
	if err := in.Prepare(&prepared, creds, sc); err != nil {
		t.Fatal(err)
	}
	return &prepared, true
}

// Verbatim checks that the integration's template id is, byte for byte,
// the documentation's handler specFile (a file of ../shared/spec/handlers);
// the test is skipped where that directory is not beside the repository.
func Verbatim(t testing.TB, in hookbridge.Integration, id, specFile string) {
	t.Helper()
	want, ok, err := SpecHandler(specFile)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skip("../shared/spec/handlers is not beside the repository: cannot compare the documentation's handlers")
	}
	if got := ByID(t, in, id).Code; got != string(want) {
		t.Errorf("template %s differs from spec/handlers/%s", id, specFile)
	}
}

// ReadsOnce fails the test unless the request that template makes of
// eventType's catalogue sample, prepared with creds, has its body read
// once in all: by Prepare, by Validate (which must not block it), by the
// batcher if in batches, and by the reading of refused, an answer that
// refuses it (see hookbridge.OutboundRequest.Value).
func ReadsOnce(t testing.TB, in hookbridge.Integration, template, eventType string, creds hookbridge.Credentials, refused hookbridge.Answer) {
	t.Helper()
	et, ok := catalog.Lookup(eventType)
	if !ok {
		t.Fatalf("no event type %s", eventType)
	}
	now := time.Now()
	url := in.Info().DestinationURL(&hookbridge.Endpoint{Credentials: creds})
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey("msg_1", "ep_1", now), MessageID: "msg_1", Now: now}
	req, changed := RunPrepared(t, in, ByID(t, in, template), eventType, et.Sample, url, creds, sc)
	if !changed {
		t.Fatalf("%s left %s unchanged", template, eventType)
	}
	if ps := hookbridge.Blocking(in.Validate(req, now)); len(ps) > 0 {
		t.Fatalf("%s on %s: problems %+v", template, eventType, ps)
	}
	if b, ok := in.(hookbridge.Batcher); ok {
		b.BatchItem(req)
	}
	hookbridge.ReadAnswer(in, req, refused)
	if n := req.BodyReads(); n != 1 {
		t.Errorf("%s on %s: the body was read %d times, want once", template, eventType, n)
	}
}

// EveryTemplateReadsOnce runs each of in's templates on the sample of each
// event type it lists (RunPrepared with defaultURL, creds and sc), then
// Validate and the batcher, and fails unless each request may go in a
// batch and had its body read once in all.
func EveryTemplateReadsOnce(t testing.TB, in hookbridge.Integration, defaultURL string, creds hookbridge.Credentials, sc hookbridge.SendContext) {
	t.Helper()
	batcher, ok := in.(hookbridge.Batcher)
	if !ok {
		t.Fatalf("%s does not send in batches", in.Info().ID)
	}
	for _, tpl := range in.Info().Templates {
		for _, eventType := range tpl.EventTypes {
			req, _ := RunPrepared(t, in, tpl, eventType, Sample(eventType), defaultURL, creds, sc)
			in.Validate(req, sc.Now)
			if _, ok := batcher.BatchItem(req); !ok {
				t.Errorf("%s on %s: cannot go in a batch", tpl.ID, eventType)
			}
			if n := req.BodyReads(); n != 1 {
				t.Errorf("%s on %s: the body was read %d times", tpl.ID, eventType, n)
			}
		}
	}
}

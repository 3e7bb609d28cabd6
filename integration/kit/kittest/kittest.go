// Package kittest checks an integration the way every integration is
// checked: each template on the catalogue's sample of each event type it
// handles, prepared, validated and sent to the integration's fake, which
// must accept it; and its secrets masked wherever a request is recorded.
// It is for tests only.
package kittest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// Sent is one template's request on one event type and the answer.
type Sent struct {
	Template  string
	EventType string
	Request   *hookbridge.OutboundRequest
	Response  delivery.Response
}

// Templates runs every template of integ that is not quoted from the
// documentation on the sample of every event type it lists, prepares the
// request with creds, and fails the test if Validate finds a problem that
// blocks it, if the handler leaves an event it lists unchanged, or if the
// fake (reached through client, which routes the tool's hosts to it)
// answers anything a delivery would not take as accepted, or if those
// steps and the batcher read the request's body more than once. It
// returns what was sent, for further checks.
func Templates(t *testing.T, integ hookbridge.Integration, creds hookbridge.Credentials, client *http.Client) []Sent {
	t.Helper()
	info := integ.Info()
	sender := &delivery.Sender{Client: client, Timeout: 5 * time.Second}
	now := time.Now()
	var sent []Sent
	for _, tpl := range info.Templates {
		if tpl.FromDocs {
			continue
		}
		if len(tpl.EventTypes) == 0 {
			t.Errorf("template %s lists no event types: endpoints made from it would subscribe to nothing", tpl.ID)
		}
		for _, name := range tpl.EventTypes {
			et, ok := catalog.Lookup(name)
			if !ok {
				t.Errorf("template %s lists unknown event type %q", tpl.ID, name)
				continue
			}
			url := info.DestinationURL(&hookbridge.Endpoint{Credentials: creds})
			msgID := hookbridge.NewID("msg")
			sc := hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey(msgID, "ep_kittest", now), MessageID: msgID, Now: now}
			req, changed := templatetest.RunPrepared(t, integ, tpl, name, et.Sample, url, creds, sc)
			if !changed {
				t.Errorf("template %s left %s unchanged, yet lists it", tpl.ID, name)
				continue
			}
			if blocking := hookbridge.Blocking(integ.Validate(req, now)); len(blocking) > 0 {
				t.Errorf("template %s on %s: the validator blocks it: %+v", tpl.ID, name, blocking)
				continue
			}
			resp := sender.Send(context.Background(), req)
			if j := delivery.Judge(integ, req, resp); j.Outcome != "accepted" {
				t.Errorf("template %s on %s: %s answered %d %s (%s: %s)", tpl.ID, name, info.Name, resp.Status, resp.Body, j.Outcome, j.Reason)
			}
			if b, ok := integ.(hookbridge.Batcher); ok {
				b.BatchItem(req)
			}
			if n := req.BodyReads(); n > 1 {
				t.Errorf("template %s on %s: Prepare, Validate, the answer reading and the batcher read the request body %d times; a delivery reads it once (OutboundRequest.Value)", tpl.ID, name, n)
			}
			sent = append(sent, Sent{Template: tpl.ID, EventType: name, Request: req, Response: resp})
		}
	}
	return sent
}

// SecretsMasked fails the test if a secret credential of creds shows in
// the recorded form of req (its URL, headers or body), as attempts keep
// it.
func SecretsMasked(t *testing.T, integ hookbridge.Integration, creds hookbridge.Credentials, req *hookbridge.OutboundRequest) {
	t.Helper()
	info := integ.Info()
	secrets := hookbridge.SecretValues(info, creds)
	rec := req.Record(secrets)
	shown := rec.URL + "\n" + rec.Body
	for k, v := range rec.Headers {
		shown += "\n" + k + ": " + v
	}
	for _, f := range info.Credentials {
		if v := creds[f.Name]; f.Secret && v != "" && strings.Contains(shown, v) {
			t.Errorf("secret %s shows in the recorded request:\n%s", f.Name, shown)
		}
	}
}

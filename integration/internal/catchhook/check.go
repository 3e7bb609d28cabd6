package catchhook

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

// CheckTemplates runs every template of integ on every event type it lists
// against s (see kittest.Templates), then checks that s accepted each
// event as one flat object of fields, with event_type and the delivery's
// delivery_id, that the delivery read its body once, and that no secret
// shows in a recorded request.
func CheckTemplates(t *testing.T, integ hookbridge.Integration, s *Server, creds hookbridge.Credentials) []kittest.Sent {
	t.Helper()
	sent := kittest.Templates(t, integ, creds, s.Client())
	events := s.Accepted()
	if len(events) != len(sent) || len(sent) == 0 {
		t.Fatalf("%d requests sent, %d events accepted", len(sent), len(events))
	}
	for i, ev := range events {
		checkFlat(t, sent[i], ev)
		if n := sent[i].Request.BodyReads(); n != 1 {
			t.Errorf("%s on %s: Prepare, Validate and ReadAnswer read the body %d times", sent[i].Template, sent[i].EventType, n)
		}
		kittest.SecretsMasked(t, integ, creds, sent[i].Request)
	}
	return sent
}

func checkFlat(t *testing.T, sent kittest.Sent, ev Event) {
	t.Helper()
	if ev.Fields == nil {
		t.Errorf("%s on %s: the tool did not read fields from %s", sent.Template, sent.EventType, ev.Raw)
		return
	}
	if ev.Fields["event_type"] != sent.EventType {
		t.Errorf("%s on %s: event_type = %v", sent.Template, sent.EventType, ev.Fields["event_type"])
	}
	if id, _ := ev.Fields[flatevent.DeliveryIDField].(string); id == "" {
		t.Errorf("%s on %s: no %s", sent.Template, sent.EventType, flatevent.DeliveryIDField)
	}
	for k, v := range ev.Fields {
		switch v.(type) {
		case map[string]any, []any:
			t.Errorf("%s on %s: field %s is nested", sent.Template, sent.EventType, k)
		}
	}
}

// Send prepares one flat event for url with integ, as a delivery with
// idempotency key key would, sends it to s and returns the request and how
// a delivery judges the answer.
func Send(t *testing.T, integ hookbridge.Integration, s *Server, creds hookbridge.Credentials, url, key string) (*hookbridge.OutboundRequest, delivery.Judgement) {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url,
		Body: []byte(`{"event_type":"payment.succeeded","payment_id":"pay_1","amount":32.65,"amount_formatted":"32.65 USD"}`)}
	if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: key, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	sender := &delivery.Sender{Client: s.Client(), Timeout: 5 * time.Second}
	resp := sender.Send(context.Background(), req)
	return req, delivery.Judge(integ, req, resp)
}

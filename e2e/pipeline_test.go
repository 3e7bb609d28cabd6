package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// orUnknown is the handlers' `x || "unknown"`.
func orUnknown(v any) any {
	if s, ok := v.(string); !ok || s == "" {
		return "unknown"
	}
	return v
}

// TestSegmentDocHandlersDeliverExactBodies drives the three Segment
// handlers of the source documents, unchanged, from ingest to a fake
// Segment that checks auth and schema, and compares the bodies it got.
func TestSegmentDocHandlersDeliverExactBodies(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)

	pay, p := sample(t, "payment.succeeded")
	active, a := sample(t, "subscription.active")
	cancelled, c := sample(t, "subscription.cancelled")
	pd, ad, cd := p["data"].(map[string]any), a["data"].(map[string]any), c["data"].(map[string]any)

	cases := []struct {
		template  string
		eventType string
		payload   json.RawMessage
		path      string
		want      map[string]any
	}{
		{"docs-payment-events", "payment.succeeded", pay, "/v1/track", map[string]any{
			"userId": path(pd, "customer", "customer_id"),
			"event":  "Payment Completed",
			"properties": map[string]any{
				"amount":         fmtAmount(pd["total_amount"].(float64)),
				"currency":       pd["currency"],
				"payment_method": orUnknown(pd["payment_method"]),
				"payment_id":     pd["payment_id"],
				"customer_email": path(pd, "customer", "email"),
				"customer_name":  path(pd, "customer", "name"),
			},
			"timestamp": p["timestamp"],
		}},
		{"docs-identify-customer", "payment.succeeded", pay, "/v1/identify", map[string]any{
			"userId": path(pd, "customer", "customer_id"),
			"traits": map[string]any{
				"email":             path(pd, "customer", "email"),
				"name":              path(pd, "customer", "name"),
				"total_spent":       fmtAmount(pd["total_amount"].(float64)),
				"payment_method":    orUnknown(pd["payment_method"]),
				"last_payment_date": p["timestamp"],
				"customer_since":    p["timestamp"],
			},
		}},
		{"docs-subscription-lifecycle", "subscription.active", active, "/v1/track", map[string]any{
			"userId": path(ad, "customer", "customer_id"),
			"event":  "Subscription Started",
			"properties": map[string]any{
				"subscription_id": ad["subscription_id"],
				"product_id":      ad["product_id"],
				"amount":          fmtAmount(ad["recurring_pre_tax_amount"].(float64)),
				"frequency":       ad["payment_frequency_interval"],
				"next_billing":    ad["next_billing_date"],
				"customer_email":  path(ad, "customer", "email"),
			},
			"timestamp": a["timestamp"],
		}},
		{"docs-subscription-lifecycle", "subscription.cancelled", cancelled, "/v1/track", map[string]any{
			"userId": path(cd, "customer", "customer_id"),
			"event":  "Subscription Cancelled",
			"properties": map[string]any{
				"subscription_id":        cd["subscription_id"],
				"product_id":             cd["product_id"],
				"cancelled_at":           cd["cancelled_at"],
				"cancel_at_next_billing": cd["cancel_at_next_billing_date"],
				"customer_email":         path(cd, "customer", "email"),
			},
			"timestamp": c["timestamp"],
		}},
	}
	for i, tc := range cases {
		t.Run(tc.template+"/"+tc.eventType, func(t *testing.T) {
			tpl := templateByID(t, "segment", tc.template)
			if !tpl.FromDocs {
				t.Fatalf("%s is not the documentation's handler", tc.template)
			}
			ep := h.createEndpoint(map[string]any{
				"integration":    "segment",
				"credentials":    seg.Credentials(),
				"transformation": map[string]any{"code": tpl.Code},
				"event_types":    []string{tc.eventType},
			})
			defer h.call("DELETE", "/api/v1/apps/default/endpoints/"+ep.ID, nil, nil)
			ans := h.postMessage(tc.eventType, tc.payload, "evt_seg_doc_"+string(rune('a'+i)))
			dels := h.waitDeliveries(ans.ID)
			if len(dels) != 1 || dels[0].Status != hookbridge.DeliverySucceeded {
				t.Fatalf("deliveries = %+v, want one succeeded", dels)
			}
			msg, _ := h.message(ans.ID)
			wantKey := hookbridge.IdempotencyKey(msg.ID, ep.ID, msg.CreatedAt)
			acceptedSegment(t, seg, wantKey)
			req := requestWithMessageID(t, seg, wantKey)
			if req.Path != tc.path || req.Header.Get("Authorization") == "" {
				t.Errorf("request to %s (auth %q), want %s with Basic auth", req.Path, req.Header.Get("Authorization"), tc.path)
			}
			body := map[string]any{}
			if err := json.Unmarshal(req.Body, &body); err != nil {
				t.Fatal(err)
			}
			delete(body, "messageId")
			jsonEqual(t, "body Segment received", body, tc.want)
		})
	}
}

func acceptedSegment(t *testing.T, seg *segmenttest.Server, messageID string) segmenttest.Event {
	t.Helper()
	for _, e := range seg.Accepted() {
		if e.MessageID == messageID {
			return e
		}
	}
	t.Fatalf("Segment accepted no call with messageId %s (accepted: %+v)", messageID, seg.Accepted())
	return segmenttest.Event{}
}

func requestWithMessageID(t *testing.T, seg *segmenttest.Server, messageID string) segmenttest.Request {
	t.Helper()
	for _, r := range seg.Requests() {
		var body struct {
			MessageID string `json:"messageId"`
		}
		if json.Unmarshal(r.Body, &body) == nil && body.MessageID == messageID {
			return r
		}
	}
	t.Fatalf("no request with messageId %s", messageID)
	return segmenttest.Request{}
}

// TestDocHandlerSkipsEventsItDoesNotHandle: an event the handler returns
// unchanged is skipped with the reason, not posted raw to Segment.
func TestDocHandlerSkipsEventsItDoesNotHandle(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	tpl := templateByID(t, "segment", "docs-subscription-lifecycle")
	h.createEndpoint(map[string]any{
		"integration": "segment", "credentials": seg.Credentials(),
		"transformation": map[string]any{"code": tpl.Code},
	})
	renewed, _ := sample(t, "subscription.renewed")
	dels := h.waitDeliveries(h.postMessage("subscription.renewed", renewed, "").ID)
	if dels[0].Status != hookbridge.DeliverySkipped || !strings.Contains(dels[0].LastError, "unchanged") {
		t.Fatalf("delivery = %+v, want skipped because the handler left it unchanged", dels[0])
	}
	if n := len(seg.Requests()); n != 0 {
		t.Fatalf("Segment got %d requests, want none", n)
	}
}

// TestCustomerIODocHandlers: the documentation's payment and subscription
// handlers use actions the real API rejects; hookbridge refuses to send
// them and says how to fix them. The attributes handler is sent.
func TestCustomerIODocHandlers(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	cases := []struct {
		template, eventType, badAction string
	}{
		{"docs-payment-tracking", "payment.succeeded", "payment_completed"},
		{"docs-subscription-lifecycle", "subscription.active", "subscription_started"},
		{"docs-subscription-lifecycle", "subscription.cancelled", "subscription_cancelled"},
	}
	for _, tc := range cases {
		t.Run(tc.template+"/"+tc.eventType, func(t *testing.T) {
			ep := h.createEndpoint(map[string]any{
				"integration": "customerio", "credentials": cio.Credentials(),
				"transformation": map[string]any{"code": templateByID(t, "customerio", tc.template).Code},
				"event_types":    []string{tc.eventType},
				// Forced past the save check, to see what a delivery does.
				"force": true,
			})
			defer h.call("DELETE", "/api/v1/apps/default/endpoints/"+ep.ID, nil, nil)
			payload, _ := sample(t, tc.eventType)
			dels := h.waitDeliveries(h.postMessage(tc.eventType, payload, "").ID)
			d := dels[0]
			if d.Status != hookbridge.DeliveryFailed {
				t.Fatalf("status %s, want failed", d.Status)
			}
			wantFix := `action: "event" with name: "` + tc.badAction + `"`
			if !strings.Contains(d.LastError, tc.badAction) || !strings.Contains(d.LastError, wantFix) {
				t.Fatalf("last error %q does not explain the invalid action and its fix %q", d.LastError, wantFix)
			}
			atts := h.attempts(d.ID)
			if len(atts) != 1 || atts[0].ResponseStatus != 0 || atts[0].Request.URL == "" {
				t.Fatalf("attempts = %+v, want one recorded request that was never sent", atts)
			}
		})
	}
	if n := len(cio.Requests()); n != 0 {
		t.Fatalf("Customer.io got %d requests; invalid requests must not be sent", n)
	}

	t.Run("docs-customer-attributes", func(t *testing.T) {
		ep := h.createEndpoint(map[string]any{
			"integration": "customerio", "credentials": cio.Credentials(),
			"transformation": map[string]any{"code": templateByID(t, "customerio", "docs-customer-attributes").Code},
		})
		payload, p := sample(t, "payment.succeeded")
		pd := p["data"].(map[string]any)
		ans := h.postMessage("payment.succeeded", payload, "")
		dels := h.waitDeliveries(ans.ID)
		if dels[0].Status != hookbridge.DeliverySucceeded {
			t.Fatalf("delivery %+v, want succeeded", dels[0])
		}
		ops := cio.Accepted()
		if len(ops) != 1 {
			t.Fatalf("Customer.io accepted %d operations, want 1", len(ops))
		}
		op := ops[0]
		if op.Route != "POST /api/v2/entity" || op.Action != "identify" || op.Type != "person" {
			t.Fatalf("operation %+v, want a person identify on /api/v2/entity", op)
		}
		jsonEqual(t, "identifiers", op.Identifiers, map[string]any{"id": path(pd, "customer", "customer_id")})
		jsonEqual(t, "attributes", op.Attributes, map[string]any{
			"email":             path(pd, "customer", "email"),
			"name":              path(pd, "customer", "name"),
			"total_spent":       fmtAmount(pd["total_amount"].(float64)),
			"payment_method":    orUnknown(pd["payment_method"]),
			"last_payment_date": p["timestamp"],
			"customer_since":    p["timestamp"],
		})
		_ = ep
	})
}

// TestBuiltInTemplatesDeliverWhatTheTestShows drives every corrected
// template through the pipeline for each event type it handles: the fake
// destination accepts it, and receives exactly the body the test call
// showed.
func TestBuiltInTemplatesDeliverWhatTheTestShows(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	for _, integ := range []string{"customerio", "segment"} {
		for _, in := range integrations() {
			if in.Info().ID != integ {
				continue
			}
			for _, tpl := range in.Info().Templates {
				if tpl.FromDocs {
					continue
				}
				for _, et := range tpl.EventTypes {
					t.Run(integ+"/"+tpl.ID+"/"+et, func(t *testing.T) {
						runTemplate(t, h, integ, tpl, et)
					})
				}
			}
		}
	}
}

func runTemplate(t *testing.T, h *harness, integ string, tpl hookbridge.Template, eventType string) {
	creds := h.segment.Credentials()
	if integ == "customerio" {
		creds = h.cio.Credentials()
	}
	payload, _ := sample(t, eventType)
	var test struct {
		Status   string               `json:"status"`
		Problems []hookbridge.Problem `json:"problems"`
		Request  struct {
			URL      string          `json:"url"`
			BodyJSON json.RawMessage `json:"body_json"`
		} `json:"request"`
	}
	h.mustCall("POST", "/api/v1/apps/default/transformations/test", map[string]any{
		"integration": integ, "template": tpl.ID, "event_type": eventType, "credentials": creds,
	}, http.StatusOK, &test)
	if test.Status != "ready" || len(sampleAgeAside(test.Problems)) != 0 {
		t.Fatalf("test call: status %s, problems %+v", test.Status, test.Problems)
	}
	ep := h.createEndpoint(map[string]any{"integration": integ, "credentials": creds, "template": tpl.ID, "event_types": []string{eventType}})
	defer h.call("DELETE", "/api/v1/apps/default/endpoints/"+ep.ID, nil, nil)
	before := len(h.segment.Requests()) + len(h.cio.Requests())
	dels := h.waitDeliveries(h.postMessage(eventType, payload, "").ID)
	if len(dels) != 1 || dels[0].Status != hookbridge.DeliverySucceeded {
		t.Fatalf("deliveries %+v, want one succeeded", dels)
	}
	reqs := h.segment.Requests()
	if integ == "customerio" {
		reqs = h.cio.Requests()
	}
	if n := len(h.segment.Requests()) + len(h.cio.Requests()); n != before+1 {
		for _, r := range reqs[max(0, len(reqs)-3):] {
			t.Logf("%s %s %d %s", r.Method, r.Path, r.Status, r.Body)
		}
		t.Fatalf("destinations got %d requests, want exactly one", n-before)
	}
	got := reqs[len(reqs)-1]
	if got.Status != http.StatusOK {
		t.Fatalf("destination answered %d", got.Status)
	}
	var sent, shown map[string]any
	_ = json.Unmarshal(got.Body, &sent)
	_ = json.Unmarshal(test.Request.BodyJSON, &shown)
	stripIDs(sent)
	stripIDs(shown)
	jsonEqual(t, "delivered body vs the body the test call showed", sent, shown)
}

// stripIDs removes the per-message idempotency ids, which differ between a
// test call and a delivery.
func stripIDs(m map[string]any) {
	delete(m, "messageId")
	delete(m, "id")
	if batch, ok := m["batch"].([]any); ok {
		for _, item := range batch {
			if im, ok := item.(map[string]any); ok {
				stripIDs(im)
			}
		}
	}
}

// sampleAgeAside drops the one warning a built-in template may draw on the
// catalogue's samples, which are dated months ago: Customer.io's "more than
// 72 hours old, triggers no campaign" (the test panel shows it on purpose).
func sampleAgeAside(problems []hookbridge.Problem) []hookbridge.Problem {
	var out []hookbridge.Problem
	for _, p := range problems {
		if !(p.Warning && p.Field == "timestamp" && strings.Contains(p.Message, "72 hours")) {
			out = append(out, p)
		}
	}
	return out
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/hookbridge/hookbridge/catalog"
)

// Scenarios, by --scenario.
const (
	// scenarioWebhook: one plain webhook endpoint, no transformation.
	scenarioWebhook = "webhook"
	// scenarioSegmentDoc: one Segment endpoint with the source document's
	// payment handler (template docs-payment-events).
	scenarioSegmentDoc = "segment-doc"
	// scenarioFanout10: ten plain webhook endpoints, so each event is
	// delivered ten times.
	scenarioFanout10 = "fanout10"
)

var scenarios = []string{scenarioWebhook, scenarioSegmentDoc, scenarioFanout10}

// eventType is the type of every event the tool sends.
const eventType = "payment.succeeded"

// setUpScenario creates an app of its own for this run (so that no other
// endpoint receives its events) and the scenario's endpoints in it; it
// returns the app's id and the endpoints' ids.
func setUpScenario(ctx context.Context, api *apiClient, scenario, runID, sinkURL string) (string, []string, error) {
	app := "bench-" + runID
	if err := api.do(ctx, "POST", "/api/v1/apps", map[string]string{"id": app, "name": "hookbridge-bench " + runID}, nil); err != nil {
		return "", nil, fmt.Errorf("create app: %w", err)
	}
	var specs []map[string]any
	switch scenario {
	case scenarioWebhook:
		specs = append(specs, webhookEndpoint(sinkURL, 0))
	case scenarioFanout10:
		for i := range 10 {
			specs = append(specs, webhookEndpoint(sinkURL, i))
		}
	case scenarioSegmentDoc:
		specs = append(specs, map[string]any{
			"name":        "bench: Segment (docs-payment-events)",
			"integration": "segment",
			"template":    "docs-payment-events",
			"credentials": map[string]string{"write_key": "bench-write-key", "region": "us"},
			"event_types": []string{eventType},
			// No rate limit: the sink is not Segment, and Segment's
			// default (1,000 a second) would cap what is measured.
			"rate_limit": 0,
		})
	default:
		return "", nil, fmt.Errorf("unknown scenario %q (want one of %v)", scenario, scenarios)
	}
	var ids []string
	for _, spec := range specs {
		var created struct {
			ID string `json:"id"`
		}
		if err := api.do(ctx, "POST", "/api/v1/apps/"+app+"/endpoints", spec, &created); err != nil {
			return "", nil, fmt.Errorf("create endpoint: %w", err)
		}
		ids = append(ids, created.ID)
	}
	return app, ids, nil
}

func webhookEndpoint(sinkURL string, i int) map[string]any {
	return map[string]any{
		"name":        "bench: webhook " + strconv.Itoa(i),
		"integration": "webhook",
		"url":         sinkURL + "/hook/" + strconv.Itoa(i),
		"event_types": []string{eventType},
	}
}

// tearDownScenario deletes the endpoints (the app stays: the API cannot
// delete apps).
func tearDownScenario(ctx context.Context, api *apiClient, app string, endpoints []string) error {
	for _, id := range endpoints {
		if err := api.do(ctx, "DELETE", "/api/v1/apps/"+app+"/endpoints/"+id, nil, nil); err != nil {
			return fmt.Errorf("delete endpoint: %w", err)
		}
	}
	return nil
}

// eventBodies makes the request bodies of POST /messages: the catalogue's
// payment.succeeded sample (a realistic event of about 1.5 KB) with a
// payment id and an event id of its own per event: before, the number,
// middle, the number again, after.
type eventBodies struct {
	before, middle, after []byte
	runID                 string
}

var paymentIDField = regexp.MustCompile(`"payment_id":\s*"[^"]*"`)

func newEventBodies(runID string) (*eventBodies, error) {
	sample, ok := catalog.Lookup(eventType)
	if !ok {
		return nil, fmt.Errorf("the catalogue has no %s sample", eventType)
	}
	// The sample's bytes are kept as they are (hookbridge stores payloads
	// byte for byte); only the payment id is replaced.
	loc := paymentIDField.FindIndex(sample.Sample)
	if loc == nil {
		return nil, fmt.Errorf("the %s sample has no payment_id", eventType)
	}
	payload := sample.Sample
	head := fmt.Sprintf(`{"event_type":%q,"event_id":"evt_bench_%s_`, eventType, runID)
	var before, middle []byte
	before = append(before, head...)
	middle = append(middle, `","payload":`...)
	middle = append(middle, payload[:loc[0]]...)
	middle = append(middle, `"payment_id":"`+eventMarker+runID+"_"...)
	after := append([]byte(`"`), payload[loc[1]:]...)
	after = append(after, '}')
	e := &eventBodies{before: before, middle: middle, after: after, runID: runID}
	if !json.Valid(e.body(0)) {
		return nil, fmt.Errorf("event template is not JSON: %s", e.body(0))
	}
	return e, nil
}

// body returns the request body of event n.
func (e *eventBodies) body(n int) []byte {
	num := strconv.Itoa(n)
	b := make([]byte, 0, len(e.before)+len(e.middle)+len(e.after)+2*len(num))
	b = append(b, e.before...)
	b = append(b, num...)
	b = append(b, e.middle...)
	b = append(b, num...)
	return append(b, e.after...)
}

package storetest

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Event types the fixtures use.
const (
	paymentSucceeded = "payment.succeeded"
	paymentFailed    = "payment.failed"
	refundCreated    = "refund.created"
)

func createApp(t *testing.T, s hookbridge.Store, id string, at time.Time) *hookbridge.App {
	t.Helper()
	app := &hookbridge.App{ID: id, Name: "App " + id, CreatedAt: at}
	must(t, "create app "+id, s.CreateApp(t.Context(), app))
	return app
}

func newToken(appID, name string, at time.Time) *hookbridge.Token {
	hash := sha256.Sum256([]byte("secret of " + appID + "/" + name))
	return &hookbridge.Token{
		ID:        hookbridge.NewID("tok"),
		AppID:     appID,
		Name:      name,
		Hash:      hash[:],
		CreatedAt: at,
	}
}

func createToken(t *testing.T, s hookbridge.Store, tok *hookbridge.Token) *hookbridge.Token {
	t.Helper()
	must(t, "create token", s.CreateToken(t.Context(), tok))
	return tok
}

func newSource(appID string, at time.Time) *hookbridge.Source {
	return &hookbridge.Source{
		ID:    hookbridge.NewID("src"),
		AppID: appID,
		Name:  "payments platform",
		Secrets: []hookbridge.SourceSecret{
			{Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt: at.Add(-time.Hour), ExpiresAt: ptr(at.Add(23 * time.Hour))},
			{Secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", CreatedAt: at},
		},
		CreatedAt: at.Add(-time.Hour),
		UpdatedAt: at,
	}
}

func createSource(t *testing.T, s hookbridge.Store, src *hookbridge.Source) *hookbridge.Source {
	t.Helper()
	must(t, "create source", s.CreateSource(t.Context(), src))
	return src
}

// newEndpoint returns an enabled plain webhook endpoint that accepts the
// given event types (all if none).
func newEndpoint(appID string, at time.Time, eventTypes ...string) *hookbridge.Endpoint {
	return &hookbridge.Endpoint{
		ID:          hookbridge.NewID("ep"),
		AppID:       appID,
		Name:        "endpoint",
		Integration: "webhook",
		URL:         "https://example.com/hooks",
		EventTypes:  eventTypes,
		Version:     1,
		CreatedAt:   at,
		UpdatedAt:   at,
	}
}

// newIntegrationEndpoint returns an endpoint with every field set.
func newIntegrationEndpoint(appID string, at time.Time) *hookbridge.Endpoint {
	return &hookbridge.Endpoint{
		ID:          hookbridge.NewID("ep"),
		AppID:       appID,
		Name:        "Customer.io (EU)",
		Integration: "customerio",
		URL:         "https://track-eu.customer.io/api/v2/entity",
		Credentials: hookbridge.Credentials{
			"site_id": "a1b2c3d4e5",
			"api_key": "cio-api-key-do-not-leak-0123456789",
			"region":  "eu",
		},
		EventTypes: []string{paymentSucceeded, refundCreated},
		Transformation: hookbridge.Transformation{
			Code:    "function handler(webhook) {\n  webhook.payload = { type: \"event\" };\n  return webhook\n}\n",
			Enabled: true,
		},
		Headers:         map[string]string{"X-Team": "growth", "X-Empty": ""},
		RateLimit:       10,
		RateLimitPeriod: hookbridge.Duration(10 * time.Second),
		Burst:           5,
		TimeoutSeconds:  30,
		Batching:        true,
		Ordering:        hookbridge.Ordering{Enabled: true, KeyPath: "data.customer.email"},
		Version:         1,
		CreatedAt:       at,
		UpdatedAt:       at,
	}
}

func createEndpoint(t *testing.T, s hookbridge.Store, e *hookbridge.Endpoint) *hookbridge.Endpoint {
	t.Helper()
	must(t, "create endpoint", s.CreateEndpoint(t.Context(), e))
	return e
}

func newMessage(appID, eventType string, at time.Time) *hookbridge.Message {
	id := hookbridge.NewID("msg")
	payload := fmt.Sprintf(`{"business_id":"biz_1","type":%q,"timestamp":%q,"data":{"id":%q}}`,
		eventType, at.Format(time.RFC3339), id)
	return &hookbridge.Message{
		ID:        id,
		AppID:     appID,
		EventType: eventType,
		EventID:   "evt_" + id,
		Payload:   json.RawMessage(payload),
		CreatedAt: at,
	}
}

// createMessage stores a new message and fails unless it was created.
func createMessage(t *testing.T, s hookbridge.Store, m *hookbridge.Message) *hookbridge.Message {
	t.Helper()
	in, err := s.CreateMessage(t.Context(), m)
	stored, created := in.Message, in.Created
	must(t, "create message", err)
	if !created {
		t.Fatalf("create message %s: created is false for a new event id", m.ID)
	}
	return stored
}

// deliveriesOf lists every delivery of a message.
func deliveriesOf(t *testing.T, s hookbridge.Store, m *hookbridge.Message) []*hookbridge.Delivery {
	t.Helper()
	ds, err := s.ListDeliveries(t.Context(), m.AppID, hookbridge.DeliveryFilter{MessageID: m.ID})
	must(t, "list deliveries of message", err)
	return ds
}

// onlyDelivery returns the single delivery of a message.
func onlyDelivery(t *testing.T, s hookbridge.Store, m *hookbridge.Message) *hookbridge.Delivery {
	t.Helper()
	ds := deliveriesOf(t, s, m)
	if len(ds) != 1 {
		t.Fatalf("message %s has %d deliveries, want 1", m.ID, len(ds))
	}
	return ds[0]
}

func getDelivery(t *testing.T, s hookbridge.Store, appID, id string) *hookbridge.Delivery {
	t.Helper()
	d, err := s.GetDelivery(t.Context(), appID, id)
	must(t, "get delivery", err)
	return d
}

// claimAll claims every delivery due at now.
func claimAll(t *testing.T, s hookbridge.Store, now time.Time, lease time.Duration) []*hookbridge.Claim {
	t.Helper()
	claims, err := s.ClaimDeliveries(t.Context(), now, 1000, lease)
	must(t, "claim deliveries", err)
	return claims
}

// finish moves deliveries to final statuses the way a worker does: it
// claims what is due at now, completes the deliveries named in outcome
// without an attempt, and releases the other claims.
func finish(t *testing.T, s hookbridge.Store, now time.Time, outcome map[string]hookbridge.DeliveryStatus) {
	t.Helper()
	done := 0
	for _, c := range claimAll(t, s, now, time.Minute) {
		status, ok := outcome[c.Delivery.ID]
		if !ok {
			must(t, "release claim", s.ReleaseClaim(t.Context(), c))
			continue
		}
		o := hookbridge.Outcome{Status: status, NextAttemptAt: now}
		if status == hookbridge.DeliveryFailed {
			o.LastError = "destination answered 500"
		}
		must(t, "complete attempt", s.CompleteAttempt(t.Context(), c, nil, o))
		done++
	}
	if done != len(outcome) {
		t.Fatalf("finish: completed %d deliveries, want %d (not all were due at %v)", done, len(outcome), now)
	}
}

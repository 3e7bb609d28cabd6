package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/builtin"
)

func TestValidateAppDelivery(t *testing.T) {
	d := func(v time.Duration) hookbridge.Duration { return hookbridge.Duration(v) }
	long := make([]hookbridge.Duration, 21)
	tests := []struct {
		name  string
		app   hookbridge.App
		field string // "" when valid
	}{
		{"defaults", hookbridge.App{}, ""},
		{"the platform's schedule", hookbridge.App{RetrySchedule: []hookbridge.Duration{0, d(5 * time.Second), d(5 * time.Minute), d(30 * time.Minute), d(2 * time.Hour), d(5 * time.Hour), d(10 * time.Hour), d(10 * time.Hour)}}, ""},
		{"one attempt only", hookbridge.App{RetrySchedule: []hookbridge.Duration{0}}, ""},
		{"first wait not zero", hookbridge.App{RetrySchedule: []hookbridge.Duration{d(time.Second), d(time.Minute)}}, "retry_schedule"},
		{"a wait over 7 days", hookbridge.App{RetrySchedule: []hookbridge.Duration{0, d(8 * 24 * time.Hour)}}, "retry_schedule"},
		{"too many attempts", hookbridge.App{RetrySchedule: long}, "retry_schedule"},
		{"disable after an hour", hookbridge.App{DisableEndpointAfter: d(time.Hour)}, ""},
		{"disable after too little", hookbridge.App{DisableEndpointAfter: d(time.Second)}, "disable_endpoint_after"},
		{"disable after too long", hookbridge.App{DisableEndpointAfter: d(91 * 24 * time.Hour)}, "disable_endpoint_after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkField(t, validateAppDelivery(&tt.app), tt.field)
		})
	}
}

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	verr, ok := err.(*hookbridge.ValidationError)
	if !ok || len(verr.Fields) == 0 || verr.Fields[0].Field != field {
		t.Fatalf("error %v, want one about %s", err, field)
	}
}

func TestValidateDeliveryOptions(t *testing.T) {
	s := New(Config{Integrations: hookbridge.NewIntegrations(builtin.All()...), Ready: func(context.Context) error { return nil },
		Metrics: http.NotFoundHandler()})
	tests := []struct {
		name  string
		ep    hookbridge.Endpoint
		field string
	}{
		{"defaults", hookbridge.Endpoint{Integration: "webhook"}, ""},
		{"burst", hookbridge.Endpoint{Integration: "webhook", RateLimit: 10, Burst: 20}, ""},
		{"negative burst", hookbridge.Endpoint{Integration: "webhook", Burst: -1}, "burst"},
		{"timeout of a minute", hookbridge.Endpoint{Integration: "webhook", TimeoutSeconds: 60}, ""},
		{"timeout over a minute", hookbridge.Endpoint{Integration: "webhook", TimeoutSeconds: 61}, "timeout_seconds"},
		{"negative timeout", hookbridge.Endpoint{Integration: "webhook", TimeoutSeconds: -1}, "timeout_seconds"},
		{"batching to Segment", hookbridge.Endpoint{Integration: "segment", Batching: true}, ""},
		{"batching to Customer.io", hookbridge.Endpoint{Integration: "customerio", Batching: true}, ""},
		{"batching to a plain webhook", hookbridge.Endpoint{Integration: "webhook", Batching: true}, "batching"},
		{"ordering by default key", hookbridge.Endpoint{Integration: "webhook", Ordering: hookbridge.Ordering{Enabled: true}}, ""},
		{"ordering by email", hookbridge.Endpoint{Integration: "webhook", Ordering: hookbridge.Ordering{Enabled: true, KeyPath: "data.customer.email"}}, ""},
		{"ordering by a bad path", hookbridge.Endpoint{Integration: "webhook", Ordering: hookbridge.Ordering{Enabled: true, KeyPath: "data..id"}}, "ordering.key_path"},
		{"ordering by a path with spaces", hookbridge.Endpoint{Integration: "webhook", Ordering: hookbridge.Ordering{KeyPath: "data.a b"}}, "ordering.key_path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var verr hookbridge.ValidationError
			s.validateDeliveryOptions(&tt.ep, &verr)
			checkField(t, verr.Err(), tt.field)
		})
	}
}

func TestStatsWindow(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"", 24 * time.Hour, false},
		{"1h", time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"91d", 0, true},
		{"0s", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		got, err := parseWindow(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("window %q = %v, %v", tt.in, got, err)
		}
	}
}

package hookbridge

import (
	"testing"
	"time"
)

func TestConditionOfAnEndpoint(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	earlier, later := now.Add(-time.Minute), now.Add(time.Minute)
	tests := []struct {
		name     string
		e        Endpoint
		byStatus map[DeliveryStatus]int
		status   string
		rate     float64 // -1: none
		// lastError and lastSuccess are the times of the latest failed and
		// succeeded attempts.
		lastError, lastSuccess *time.Time
	}{
		{"nothing yet", Endpoint{}, nil, ConditionHealthy, -1, nil, nil},
		{"all succeeded", Endpoint{}, map[DeliveryStatus]int{DeliverySucceeded: 4}, ConditionHealthy, 1, nil, nil},
		{"a retry pending beside successes", Endpoint{FailingSince: &earlier},
			map[DeliveryStatus]int{DeliverySucceeded: 9, DeliveryPending: 1}, ConditionRetrying, 1, nil, nil},
		{"one failed for good in a streak", Endpoint{FailingSince: &earlier},
			map[DeliveryStatus]int{DeliverySucceeded: 3, DeliveryFailed: 1}, ConditionFailing, 0.75, nil, nil},
		{"a failure long past, healthy since", Endpoint{},
			map[DeliveryStatus]int{DeliverySucceeded: 3, DeliveryFailed: 1}, ConditionHealthy, 0.75, nil, nil},
		{"skipped deliveries do not count", Endpoint{}, map[DeliveryStatus]int{DeliverySkipped: 5}, ConditionHealthy, -1, nil, nil},
		{"paused by a 429", Endpoint{PausedUntil: &later}, map[DeliveryStatus]int{DeliveryPending: 2}, ConditionPaused, -1, nil, nil},
		{"a pause that ended", Endpoint{PausedUntil: &earlier}, nil, ConditionHealthy, -1, nil, nil},
		{"disabled", Endpoint{Disabled: true, FailingSince: &earlier}, map[DeliveryStatus]int{DeliveryFailed: 2}, ConditionDisabled, 0, nil, nil},
		{"the validator stopped the latest request", Endpoint{},
			map[DeliveryStatus]int{DeliverySucceeded: 1, DeliveryFailed: 1}, ConditionFailing, 0.5, &now, &earlier},
		{"a success after a stopped request", Endpoint{},
			map[DeliveryStatus]int{DeliverySucceeded: 1, DeliveryFailed: 1}, ConditionHealthy, 0.5, &earlier, &now},
		{"a 429 pauses, it does not fail", Endpoint{PausedUntil: &later},
			map[DeliveryStatus]int{DeliveryPending: 1}, ConditionPaused, -1, &now, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ConditionOf(&tt.e, &EndpointStats{DeliveriesByStatus: tt.byStatus, LastErrorAt: tt.lastError, LastSuccessAt: tt.lastSuccess}, now)
			if c.Status != tt.status {
				t.Errorf("status %s, want %s", c.Status, tt.status)
			}
			switch {
			case tt.rate < 0 && c.SuccessRate != nil:
				t.Errorf("success rate %v, want none", *c.SuccessRate)
			case tt.rate >= 0 && (c.SuccessRate == nil || *c.SuccessRate != tt.rate):
				t.Errorf("success rate %v, want %v", c.SuccessRate, tt.rate)
			}
		})
	}
}

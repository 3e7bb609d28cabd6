package hookbridge

import (
	"slices"
	"time"
)

// MaxStatsLatencies bounds how many attempt durations EndpointStats holds:
// the latest ones of its window.
const MaxStatsLatencies = 10000

// EndpointStats summarises an endpoint's recent activity.
type EndpointStats struct {
	Since time.Time
	Until time.Time
	// Attempts counts the attempts made in the window; Succeeded those the
	// destination accepted (2xx, no error).
	Attempts  int
	Succeeded int
	// Latencies are the durations of the window's attempts that were sent,
	// latest first, at most MaxStatsLatencies of them.
	Latencies []time.Duration
	// DeliveriesByStatus counts the deliveries created in the window.
	DeliveriesByStatus map[DeliveryStatus]int
	// LastError is the error of the latest failed attempt, whenever it was.
	LastError     string
	LastErrorAt   *time.Time
	LastSuccessAt *time.Time
}

// SuccessRate is the share of the window's attempts that succeeded, 0 to 1;
// 0 when there were none.
func (s *EndpointStats) SuccessRate() float64 {
	if s.Attempts == 0 {
		return 0
	}
	return float64(s.Succeeded) / float64(s.Attempts)
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of the latencies
// by the nearest-rank method, 0 if there are none.
func (s *EndpointStats) Percentile(p float64) time.Duration {
	if len(s.Latencies) == 0 || p <= 0 {
		return 0
	}
	sorted := slices.Clone(s.Latencies)
	slices.Sort(sorted)
	rank := int(float64(len(sorted))*p/100+0.999999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

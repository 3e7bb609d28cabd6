package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/metrics"
)

type fakeNodes []*hookbridge.Node

func (f fakeNodes) ListNodes(context.Context) ([]*hookbridge.Node, error) { return f, nil }

func TestNodeGaugesAreReadAtScrape(t *testing.T) {
	now := time.Now()
	m := metrics.New()
	m.WatchNodes(fakeNodes{
		{ID: "node_a", LastSeenAt: now},
		{ID: "node_b", LastSeenAt: now.Add(-time.Second)},
		{ID: "node_c", LastSeenAt: now.Add(-time.Minute)},
	}, time.Second)
	m.LeasesTakenOver(4)
	wantLines(t, scrape(t, m), `hookbridge_nodes{state="alive"} 2`, `hookbridge_nodes{state="dead"} 1`,
		"hookbridge_nodes_up 1", "hookbridge_leases_taken_over_total 4")
}

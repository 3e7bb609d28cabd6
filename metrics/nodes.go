package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hookbridge/hookbridge"
)

// NodeLister lists the nodes sharing a store.
type NodeLister interface {
	ListNodes(ctx context.Context) ([]*hookbridge.Node, error)
}

// WatchNodes adds hookbridge_nodes{state="alive"|"dead"}, the nodes the
// store lists at each scrape by whether they beat within
// hookbridge.NodeStaleAfter, and the counter of leases this node took
// over from dead ones (LeasesTakenOver).
func (m *Metrics) WatchNodes(store NodeLister, timeout time.Duration) {
	m.registry.MustRegister(&nodeCollector{store: store, timeout: timeout, now: time.Now})
	m.leasesTakenOver = counter(m, "leases_taken_over_total", "Leases this node took over from nodes that stopped beating (or, on SQLite, from the process that held the data directory before).")
}

// LeasesTakenOver counts n leases taken over from dead nodes.
func (m *Metrics) LeasesTakenOver(n int) {
	if m == nil || m.leasesTakenOver == nil {
		return
	}
	m.leasesTakenOver.Add(float64(n))
}

// nodeCollector counts the store's nodes when Prometheus scrapes.
type nodeCollector struct {
	store   NodeLister
	timeout time.Duration
	now     func() time.Time
}

var (
	nodesDesc   = prometheus.NewDesc(namespace+"_nodes", "Nodes recorded in the store, by state: alive (beat within 10 s) or dead.", []string{"state"}, nil)
	nodesUpDesc = prometheus.NewDesc(namespace+"_nodes_up", "1 if the node list could be read from the store at this scrape, 0 if not.", nil, nil)
)

func (c *nodeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- nodesDesc
	ch <- nodesUpDesc
}

func (c *nodeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	nodes, err := c.store.ListNodes(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(nodesUpDesc, prometheus.GaugeValue, 0)
		return
	}
	now := c.now()
	alive := 0
	for _, n := range nodes {
		if n.Alive(now) {
			alive++
		}
	}
	ch <- prometheus.MustNewConstMetric(nodesUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(nodesDesc, prometheus.GaugeValue, float64(alive), "alive")
	ch <- prometheus.MustNewConstMetric(nodesDesc, prometheus.GaugeValue, float64(len(nodes)-alive), "dead")
}

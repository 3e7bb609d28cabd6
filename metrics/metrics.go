package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hookbridge/hookbridge"
)

// Metrics holds hookbridge's metrics in a registry of its own. Its methods
// are safe for concurrent use, and do nothing on a nil *Metrics.
type Metrics struct {
	registry *prometheus.Registry

	ingested        *prometheus.CounterVec
	deliveries      *prometheus.CounterVec
	attemptDuration *prometheus.HistogramVec
	attempts        *prometheus.CounterVec
	rateLimitWaits  *prometheus.CounterVec
	rateLimitWaited *prometheus.HistogramVec
	transformTime   prometheus.Histogram
	transformFailed *prometheus.CounterVec
	httpRequests    *prometheus.CounterVec
	httpDuration    *prometheus.HistogramVec
	apiRateLimited  prometheus.Counter
	// leasesTakenOver is set by WatchNodes.
	leasesTakenOver prometheus.Counter
}

// New makes the metrics, with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.ingested = counterVec(m, "messages_ingested_total", "Messages accepted, by way in (api or source) and whether the event id was seen before.", "via", "duplicate")
	m.deliveries = counterVec(m, "deliveries_total", "Deliveries that reached an outcome: succeeded, failed, skipped, cancelled, or retry (another attempt is scheduled).", "integration", "outcome")
	m.attemptDuration = histogramVec(m, "attempt_duration_seconds", "Duration of HTTP attempts to destinations.", latencyBuckets, "integration")
	m.attempts = counterVec(m, "attempts_total", "HTTP attempts to destinations, by response class (2xx, 3xx, 4xx, 5xx, or error when no response came).", "integration", "class")
	m.rateLimitWaits = counterVec(m, "rate_limit_waits_total", "Deliveries that waited for their endpoint's rate limit.", "integration")
	m.rateLimitWaited = histogramVec(m, "rate_limit_wait_seconds", "How long deliveries waited for their endpoint's rate limit.", latencyBuckets, "integration")
	m.transformTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "transform_duration_seconds",
		Help:    "Run time of transformations, failed ones included.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	m.registry.MustRegister(m.transformTime)
	m.transformFailed = counterVec(m, "transform_failures_total", "Failed transformation runs by kind: syntax, runtime, timeout, limit, result or other.", "kind")
	m.httpRequests = counterVec(m, "http_requests_total", "HTTP requests served, by route pattern and status code.", "route", "code")
	m.httpDuration = histogramVec(m, "http_request_duration_seconds", "Duration of HTTP requests served, by route pattern.", latencyBuckets, "route")
	m.apiRateLimited = counter(m, "api_rate_limited_total", "Management API calls refused by the per-token rate limit.")
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

const namespace = "hookbridge"

// latencyBuckets span a fast local answer to a destination's time limit.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

func counterVec(m *Metrics, name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	m.registry.MustRegister(c)
	return c
}

func counter(m *Metrics, name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
	m.registry.MustRegister(c)
	return c
}

func histogramVec(m *Metrics, name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	m.registry.MustRegister(h)
	return h
}

// Handler serves the metrics in Prometheus's text format; nil on a nil
// *Metrics.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return nil
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Registry is where the metrics are registered, for adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// MessageIngested counts a message accepted through the API ("api") or a
// source ("source"); duplicate is true when its event id was known and
// nothing new was stored.
func (m *Metrics) MessageIngested(via string, duplicate bool) {
	if m == nil {
		return
	}
	m.ingested.WithLabelValues(via, strconv.FormatBool(duplicate)).Inc()
}

// DeliveryFinished counts the outcome of one processing of a delivery:
// its final status, or DeliveryPending when another attempt is scheduled
// (counted as "retry").
func (m *Metrics) DeliveryFinished(integration string, status hookbridge.DeliveryStatus) {
	if m == nil {
		return
	}
	outcome := string(status)
	if status == hookbridge.DeliveryPending {
		outcome = "retry"
	}
	m.deliveries.WithLabelValues(integration, outcome).Inc()
}

// AttemptSent measures one HTTP attempt: how long it took and what status
// came back (0 when none did).
func (m *Metrics) AttemptSent(integration string, d time.Duration, status int) {
	if m == nil {
		return
	}
	m.attemptDuration.WithLabelValues(integration).Observe(d.Seconds())
	m.attempts.WithLabelValues(integration, statusClass(status)).Inc()
}

func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "error"
	}
	return strconv.Itoa(status/100) + "xx"
}

// RateLimitWaited records that a delivery waited d for its endpoint's rate
// limit. Calls with d == 0 (no wait) are ignored.
func (m *Metrics) RateLimitWaited(integration string, d time.Duration) {
	if m == nil || d <= 0 {
		return
	}
	m.rateLimitWaits.WithLabelValues(integration).Inc()
	m.rateLimitWaited.WithLabelValues(integration).Observe(d.Seconds())
}

// TransformRan measures one transformation run; err is its error, if any.
func (m *Metrics) TransformRan(d time.Duration, err error) {
	if m == nil {
		return
	}
	m.transformTime.Observe(d.Seconds())
	if err == nil {
		return
	}
	kind := "other"
	var ce *hookbridge.CodeError
	if errors.As(err, &ce) {
		kind = ce.Kind
	}
	m.transformFailed.WithLabelValues(kind).Inc()
}

// HTTPRequest measures one request served; route is the pattern it
// matched ("GET /api/v1/apps/{app}"), or "unmatched".
func (m *Metrics) HTTPRequest(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// APIRateLimited counts a management call refused by the per-token rate
// limit.
func (m *Metrics) APIRateLimited() {
	if m == nil {
		return
	}
	m.apiRateLimited.Inc()
}

// WatchQueue adds the queue gauges, read from the store at each scrape
// (each read bounded by timeout).
func (m *Metrics) WatchQueue(store hookbridge.MaintenanceStore, timeout time.Duration) {
	m.registry.MustRegister(&queueCollector{store: store, timeout: timeout, now: time.Now})
}

// queueCollector reads the queue's state when Prometheus scrapes.
type queueCollector struct {
	store   hookbridge.MaintenanceStore
	timeout time.Duration
	now     func() time.Time
}

var (
	pendingDesc = prometheus.NewDesc(namespace+"_queue_pending", "Pending deliveries of every app.", nil, nil)
	dueDesc     = prometheus.NewDesc(namespace+"_queue_due", "Pending deliveries whose next attempt time has come.", nil, nil)
	oldestDesc  = prometheus.NewDesc(namespace+"_queue_oldest_pending_age_seconds", "Age of the oldest pending delivery (0 if none).", nil, nil)
	lagDesc     = prometheus.NewDesc(namespace+"_queue_lag_seconds", "How long the most overdue delivery has been due (0 if none).", nil, nil)
	statsUpDesc = prometheus.NewDesc(namespace+"_queue_stats_up", "1 if the queue statistics could be read from the store at this scrape, 0 if not.", nil, nil)
)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- dueDesc
	ch <- oldestDesc
	ch <- lagDesc
	ch <- statsUpDesc
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	now := c.now()
	st, err := c.store.QueueStats(ctx, now)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(statsUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(statsUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(st.Due))
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, ageSeconds(now, st.OldestPendingCreatedAt))
	ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, ageSeconds(now, st.OldestDueAt))
}

// WriterSource is a store with a single writer that counts its work (the
// SQLite store).
type WriterSource interface {
	WriterStats() hookbridge.WriterStats
}

// WatchWriter adds the single writer's counters, read at each scrape.
// rate(hookbridge_sqlite_writer_busy_seconds_total[1m]) is the share of
// the writer's time in use; near 1 the store is at what one writer can
// do.
func (m *Metrics) WatchWriter(source WriterSource) {
	m.registry.MustRegister(&writerCollector{source: source})
}

type writerCollector struct{ source WriterSource }

var (
	writerBusyDesc = prometheus.NewDesc(namespace+"_sqlite_writer_busy_seconds_total",
		"Time the SQLite store's single writer spent running and committing transactions.", nil, nil)
	writerCommitsDesc = prometheus.NewDesc(namespace+"_sqlite_writer_commits_total",
		"Commits of the SQLite store's writer; each commits a group of transactions.", nil, nil)
	writerTransactionsDesc = prometheus.NewDesc(namespace+"_sqlite_writer_transactions_total",
		"Write transactions the SQLite store's writer ran.", nil, nil)
)

func (c *writerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- writerBusyDesc
	ch <- writerCommitsDesc
	ch <- writerTransactionsDesc
}

func (c *writerCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.source.WriterStats()
	ch <- prometheus.MustNewConstMetric(writerBusyDesc, prometheus.CounterValue, st.Busy.Seconds())
	ch <- prometheus.MustNewConstMetric(writerCommitsDesc, prometheus.CounterValue, float64(st.Commits))
	ch <- prometheus.MustNewConstMetric(writerTransactionsDesc, prometheus.CounterValue, float64(st.Transactions))
}

func ageSeconds(now, t time.Time) float64 {
	if t.IsZero() || t.After(now) {
		return 0
	}
	return now.Sub(t).Seconds()
}

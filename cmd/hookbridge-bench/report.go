package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// report is the outcome of a run, as printed (or written as JSON).
type report struct {
	Scenario string `json:"scenario"`
	Database string `json:"database"`
	Mode     string `json:"mode"` // "in-process" or the target URL
	CPUs     int    `json:"cpus"`
	// GCPercent is this process's garbage collector target (GOGC; -1 off).
	GCPercent   int `json:"gc_percent"`
	Rate        int `json:"rate"` // 0: as fast as possible
	Concurrency int `json:"concurrency"`
	Endpoints   int `json:"endpoints"`

	Sent            int     `json:"sent"`
	Accepted        int     `json:"accepted"`
	Failed          int     `json:"failed"`
	FirstError      string  `json:"first_error,omitempty"`
	SendSeconds     float64 `json:"send_seconds"`
	AcceptedPerSec  float64 `json:"accepted_per_second"`
	IngestLatencyMS stats   `json:"ingest_latency_ms"`

	// ExpectedDeliveries is Accepted times Endpoints.
	ExpectedDeliveries int     `json:"expected_deliveries"`
	Delivered          int     `json:"delivered"`
	Duplicates         int     `json:"duplicates"`
	DeliveredPerSec    float64 `json:"delivered_per_second"`
	// TailSeconds is how long after the last ingest answer the last
	// delivery arrived.
	TailSeconds     float64 `json:"tail_seconds"`
	DeliveryLagMS   stats   `json:"delivery_lag_ms"`
	BacklogEvents   int     `json:"backlog_events,omitempty"`
	DrainSeconds    float64 `json:"drain_seconds,omitempty"`
	DrainPerSec     float64 `json:"drain_deliveries_per_second,omitempty"`
	UnknownRequests int     `json:"unknown_requests,omitempty"`

	// CPUSeconds is the CPU time this process (with an in-process
	// hookbridge: hookbridge, load and sink together) used from the first
	// event to the last delivery; CPUsBusy is that over the wall time, and
	// CPUMicrosPerDelivery per delivered event. Zero where the CPU time
	// cannot be read.
	CPUSeconds           float64 `json:"cpu_seconds"`
	CPUsBusy             float64 `json:"cpus_busy"`
	CPUMicrosPerDelivery float64 `json:"cpu_us_per_delivery"`
	// Writer is what an in-process SQLite store's single writer did.
	Writer *writerReport `json:"sqlite_writer,omitempty"`
}

// stats are percentiles of a set of durations, in milliseconds.
type stats struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

func percentiles(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	at := func(p float64) float64 {
		i := int(p * float64(len(sorted)-1))
		return ms(sorted[i])
	}
	return stats{Count: len(sorted), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: ms(sorted[len(sorted)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// addLoad fills in what posting the events gave.
func (r *report) addLoad(load *loadResult) {
	r.Sent, r.Accepted, r.Failed = load.sent, load.accepted, load.failed
	if load.firstErr != nil {
		r.FirstError = load.firstErr.Error()
	}
	sendTime := load.end.Sub(load.start)
	r.SendSeconds = sendTime.Seconds()
	r.AcceptedPerSec = perSecond(load.accepted, sendTime)
	r.IngestLatencyMS = percentiles(load.latencies)
	r.ExpectedDeliveries = load.accepted * r.Endpoints
}

// addDeliveries fills in what the sink saw: every arrival's lag from the
// start of its event's ingest request.
func (r *report) addDeliveries(load *loadResult, arrivals []arrival, dups, unknown int) {
	r.Delivered, r.Duplicates, r.UnknownRequests = len(arrivals), dups, unknown
	lags := make([]time.Duration, 0, len(arrivals))
	var last time.Time
	for _, a := range arrivals {
		if a.event < 0 || a.event >= len(load.starts) || load.starts[a.event] == 0 {
			continue
		}
		lags = append(lags, a.at.Sub(time.Unix(0, load.starts[a.event])))
		if a.at.After(last) {
			last = a.at
		}
	}
	r.DeliveryLagMS = percentiles(lags)
	if !last.IsZero() {
		r.DeliveredPerSec = perSecond(len(arrivals), last.Sub(load.start))
		r.TailSeconds = max(0, last.Sub(load.end).Seconds())
	}
}

// addDrain fills in the backlog drain: from the dispatcher's start to the
// last arrival.
func (r *report) addDrain(events int, started time.Time, arrivals []arrival) {
	r.BacklogEvents = events
	var last time.Time
	for _, a := range arrivals {
		if a.at.After(last) {
			last = a.at
		}
	}
	if last.After(started) {
		r.DrainSeconds = last.Sub(started).Seconds()
		r.DrainPerSec = perSecond(len(arrivals), last.Sub(started))
	}
}

func (r *report) print(w io.Writer) error {
	var b strings.Builder
	rate := "as fast as possible"
	if r.Rate > 0 {
		rate = fmt.Sprintf("%d events/s", r.Rate)
	}
	fmt.Fprintf(&b, "scenario          %s, %d endpoint(s), %s, %s, %d CPUs, GOGC %d\n", r.Scenario, r.Endpoints, r.Database, r.Mode, r.CPUs, r.GCPercent)
	fmt.Fprintf(&b, "load              %s, concurrency %d\n", rate, r.Concurrency)
	fmt.Fprintf(&b, "accepted          %d of %d sent in %.2f s = %.0f events/s", r.Accepted, r.Sent, r.SendSeconds, r.AcceptedPerSec)
	if r.Failed > 0 {
		fmt.Fprintf(&b, " (%d failed; first: %s)", r.Failed, r.FirstError)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "ingest latency    %s\n", r.IngestLatencyMS)
	fmt.Fprintf(&b, "delivered         %d of %d expected (%.1f %%), %d duplicate(s)", r.Delivered, r.ExpectedDeliveries,
		100*float64(r.Delivered)/float64(max(1, r.ExpectedDeliveries)), r.Duplicates)
	if r.UnknownRequests > 0 {
		fmt.Fprintf(&b, ", %d request(s) without a known event", r.UnknownRequests)
	}
	b.WriteString("\n")
	if r.BacklogEvents > 0 {
		fmt.Fprintf(&b, "backlog drain     %d events queued, drained in %.2f s = %.0f deliveries/s\n", r.BacklogEvents, r.DrainSeconds, r.DrainPerSec)
	} else {
		fmt.Fprintf(&b, "delivery rate     %.0f deliveries/s (first ingest to last arrival); last arrival %.2f s after the last ingest\n",
			r.DeliveredPerSec, r.TailSeconds)
	}
	fmt.Fprintf(&b, "delivery lag      %s (sink arrival − ingest start)\n", r.DeliveryLagMS)
	if r.CPUSeconds > 0 {
		whose := "this process"
		if r.Mode == "in-process" {
			whose = "hookbridge, load and sink"
		}
		fmt.Fprintf(&b, "CPU               %.1f s, %.2f of %d processors busy, %.0f µs per delivery (%s)\n",
			r.CPUSeconds, r.CPUsBusy, r.CPUs, r.CPUMicrosPerDelivery, whose)
	}
	if w := r.Writer; w != nil {
		fmt.Fprintf(&b, "SQLite writer     %.0f commits/s, %.1f transactions each, busy %.0f %% of the time\n",
			w.CommitsPerSec, w.TransactionsPerCommit, 100*w.BusyFraction)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (s stats) String() string {
	if s.Count == 0 {
		return "n/a"
	}
	return fmt.Sprintf("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)", s.P50, s.P95, s.P99, s.Max, s.Count)
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

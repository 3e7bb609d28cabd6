package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEveryScenarioDelivers runs each scenario briefly against an
// in-process hookbridge on SQLite: every accepted event must reach the sink
// once per endpoint, and the report must say so. It keeps the tool
// working; the numbers themselves are not checked.
func TestEveryScenarioDelivers(t *testing.T) {
	for _, scenario := range scenarios {
		t.Run(scenario, func(t *testing.T) {
			cfg := testConfig(t, scenario)
			rep, err := measure(t.Context(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			wantEndpoints := map[string]int{scenarioWebhook: 1, scenarioSegmentDoc: 1, scenarioFanout10: 10}[scenario]
			if rep.Accepted == 0 || rep.Failed != 0 || rep.Endpoints != wantEndpoints {
				t.Fatalf("accepted %d, failed %d (%s), endpoints %d; want some accepted, none failed, %d endpoints",
					rep.Accepted, rep.Failed, rep.FirstError, rep.Endpoints, wantEndpoints)
			}
			if rep.Delivered != rep.Accepted*wantEndpoints || rep.UnknownRequests != 0 {
				t.Errorf("delivered %d (unknown requests %d), want %d", rep.Delivered, rep.UnknownRequests, rep.Accepted*wantEndpoints)
			}
			if rep.IngestLatencyMS.Count != rep.Accepted || rep.DeliveryLagMS.Count != rep.Delivered {
				t.Errorf("latencies for %d events and lags for %d deliveries, want %d and %d",
					rep.IngestLatencyMS.Count, rep.DeliveryLagMS.Count, rep.Accepted, rep.Delivered)
			}
			checkWork(t, rep)
		})
	}
}

// checkWork checks the CPU time and the SQLite writer's work of a run that
// delivered events: every event was written, so the writer committed at
// least once, and the process used some CPU.
func checkWork(t *testing.T, rep *report) {
	t.Helper()
	if _, ok := processCPU(); ok && (rep.CPUSeconds <= 0 || rep.CPUMicrosPerDelivery <= 0) {
		t.Errorf("CPU %.3f s, %.0f µs per delivery; want both measured", rep.CPUSeconds, rep.CPUMicrosPerDelivery)
	}
	w := rep.Writer
	if w == nil {
		t.Fatal("no SQLite writer report for an in-process SQLite run")
	}
	if w.CommitsPerSec <= 0 || w.TransactionsPerCommit < 1 || w.BusyFraction <= 0 || w.BusyFraction > 1 {
		t.Errorf("writer %+v: want commits, at least one transaction each, busy for part of the run", *w)
	}
}

// TestBacklogDrains queues events with the dispatcher held back and checks
// that the drain is timed and complete.
func TestBacklogDrains(t *testing.T) {
	cfg := testConfig(t, scenarioWebhook)
	cfg.Backlog = 30
	rep, err := measure(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 30 || rep.Delivered != 30 || rep.BacklogEvents != 30 || rep.DrainSeconds <= 0 {
		t.Errorf("accepted %d, delivered %d, backlog %d, drained in %.3f s; want 30, 30, 30 and a time",
			rep.Accepted, rep.Delivered, rep.BacklogEvents, rep.DrainSeconds)
	}
}

// TestReportIsPrintedAndJSON runs the command's path end to end, in both
// output forms.
func TestReportIsPrintedAndJSON(t *testing.T) {
	cfg := testConfig(t, scenarioWebhook)
	var text bytes.Buffer
	if err := run(t.Context(), cfg, &text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"accepted", "ingest latency", "delivered", "delivery lag", "SQLite writer"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	cfg.JSON = true
	var out bytes.Buffer
	if err := run(t.Context(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Accepted == 0 {
		t.Errorf("JSON report %s (%v), want one with accepted events", out.Bytes(), err)
	}
}

func TestFlagsAreChecked(t *testing.T) {
	bad := [][]string{
		{"--scenario", "nope"},
		{"--rate", "-1"},
		{"--duration", "11m"},
		{"--concurrency", "0"},
		{"--target", "http://127.0.0.1:1"},
		{"--target", "ftp://x", "--token", "t"},
		{"--target", "http://127.0.0.1:1", "--token", "t", "--backlog", "5"},
		{"--backlog", "2000000"},
		{"--sqlite-commit-delay", "-1ms"},
		{"extra"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	cfg, err := parseFlags([]string{"--scenario", "fanout10", "--rate", "200", "--duration", "3s"}, &bytes.Buffer{})
	if err != nil || cfg.Scenario != scenarioFanout10 || cfg.Rate != 200 || cfg.Duration != 3*time.Second {
		t.Errorf("parseFlags = %+v, %v", cfg, err)
	}
}

func TestEventBodiesCarryTheirNumber(t *testing.T) {
	bodies, err := newEventBodies("r1")
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		EventID string `json:"event_id"`
		Payload struct {
			Data struct {
				PaymentID string `json:"payment_id"`
			} `json:"data"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(bodies.body(42), &msg); err != nil {
		t.Fatal(err)
	}
	if msg.EventID != "evt_bench_r1_42" || msg.Payload.Data.PaymentID != eventMarker+"r1_42" {
		t.Errorf("event id %q, payment id %q", msg.EventID, msg.Payload.Data.PaymentID)
	}
	s := &sink{runID: "r1", seen: map[arrivalKey]bool{}}
	s.record(bodies.body(42), "/hook/0", time.Now())
	s.record(bodies.body(42), "/hook/0", time.Now())
	s.record([]byte(`{"batch":["`+eventMarker+`r1_7","`+eventMarker+`r1_8","`+eventMarker+`other_9"]}`), "/v1/batch", time.Now())
	arrivals, dups, unknown := s.snapshot()
	if len(arrivals) != 3 || dups != 1 || unknown != 0 {
		t.Errorf("arrivals %+v, dups %d, unknown %d; want events 42, 7, 8 and one duplicate", arrivals, dups, unknown)
	}
}

func testConfig(t *testing.T, scenario string) config {
	t.Helper()
	return config{
		Scenario: scenario, SinkAddr: "127.0.0.1:0", Rate: 100, Concurrency: 4,
		Duration: 300 * time.Millisecond, MaxEvents: 1000, DrainTimeout: 20 * time.Second,
	}
}

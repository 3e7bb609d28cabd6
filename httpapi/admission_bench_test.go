package httpapi_test

import (
	"net/http"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/js"
)

// BenchmarkQuietAppUnderHostileRuns measures another app's API calls
// while one app keeps twenty test runs of hostileCode in flight (each
// holds about 30 MB and spins until the 1 s time limit): every iteration
// reads the quiet app's endpoints and runs its ordinary code through the
// test API. It reports the 99th percentile of each call's latency and the
// largest heap seen. "admitted" uses the gate's defaults for this machine
// (twice GOMAXPROCS runs, half of them per app, half of those per
// endpoint — the test runs of an app count as one — 64 MiB each);
// "unbounded" admits every run at once, as before the gate; "alone" is
// the quiet app without hostile runs, for comparison.
func BenchmarkQuietAppUnderHostileRuns(b *testing.B) {
	defaults := admission.Limits{RunMemory: js.DefaultMaxMemory}
	for _, bc := range []struct {
		name    string
		limits  admission.Limits
		hostile int
	}{
		{"alone", defaults, 0},
		{"admitted", defaults, 20},
		{"unbounded", admission.Limits{Runs: 1000, RunsPerApp: 1000}, 20},
	} {
		b.Run(bc.name, func(b *testing.B) {
			gate, err := admission.New(bc.limits)
			if err != nil {
				b.Fatal(err)
			}
			tn := newTenants(b, gate, js.DefaultTimeout, 0)
			stop := tn.keepHostileRunsInFlight(b, bc.hostile)
			heap := watchHeap()
			for gate.Load().Running+gate.Load().Waiting < bc.hostile {
				time.Sleep(time.Millisecond)
			}
			var reads, tests []time.Duration
			b.ResetTimer()
			for b.Loop() {
				a := tn.call(b, "quiet", "GET", "/api/v1/apps/quiet/endpoints", nil)
				if a.status != http.StatusOK {
					b.Fatalf("GET endpoints: %d %v", a.status, a.body)
				}
				reads = append(reads, a.took)
				a = tn.testRun(b, "quiet", cheapCode)
				if a.status != http.StatusOK {
					b.Fatalf("test run: %d %v", a.status, a.body)
				}
				tests = append(tests, a.took)
			}
			b.StopTimer()
			stop()
			b.ReportMetric(p99(reads), "read-p99-ms")
			b.ReportMetric(p99(tests), "test-p99-ms")
			b.ReportMetric(float64(heap())/(1<<20), "peak-heap-MB")
		})
	}
}

// keepHostileRunsInFlight keeps n test runs of hostileCode going as the
// hostile app until the function it returns is called.
func (tn *tenants) keepHostileRunsInFlight(b *testing.B, n int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				tn.testRun(b, "hostile", hostileCode)
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}

// watchHeap samples the heap's objects every 10 ms; the function it
// returns stops sampling and returns the most seen.
func watchHeap() (peak func() uint64) {
	done := make(chan struct{})
	result := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var most uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			most = max(most, s[0].Value.Uint64())
			select {
			case <-done:
				result <- most
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

// p99 is the 99th percentile of ds in milliseconds.
func p99(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	i := (len(ds)*99+99)/100 - 1
	return float64(ds[i].Microseconds()) / 1000
}

package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// loadPlan says how many events to post and how fast.
type loadPlan struct {
	// rate is events per second; 0 posts as fast as the workers can.
	rate int
	// concurrency is how many requests may be in flight at once.
	concurrency int
	// duration bounds the sending; zero means no time bound (count only).
	duration time.Duration
	// count is the most events to post.
	count int
}

// events returns how many events the plan posts at most.
func (p loadPlan) events() int {
	if p.rate > 0 && p.duration > 0 {
		return min(p.count, int(p.duration.Seconds()*float64(p.rate)))
	}
	return p.count
}

// loadResult is what posting the events gave.
type loadResult struct {
	sent, accepted, failed int
	firstErr               error
	// start and end bound the sending: the first request's start and the
	// last answer.
	start, end time.Time
	// latencies are the ingest latencies of the accepted events.
	latencies []time.Duration
	// starts[n] is when event n was posted (Unix nanoseconds), 0 if not.
	starts []int64
	// acceptedAt[n] is whether event n was accepted.
	acceptedAt []bool
}

// postEvents posts events per plan to app, each request timed from its
// start to hookbridge's answer.
func postEvents(ctx context.Context, api *apiClient, app string, bodies *eventBodies, plan loadPlan) *loadResult {
	total := plan.events()
	p := &poster{api: api, app: app, bodies: bodies, plan: plan, total: total,
		res: &loadResult{starts: make([]int64, total), acceptedAt: make([]bool, total), start: time.Now()}}
	if plan.duration > 0 {
		p.deadline = p.res.start.Add(plan.duration)
	}
	var wg sync.WaitGroup
	for range plan.concurrency {
		wg.Go(func() { p.merge(p.work(ctx)) })
	}
	wg.Wait()
	p.res.end = p.res.start
	if last := p.lastDone.Load(); last != 0 {
		p.res.end = time.Unix(0, last)
	}
	return p.res
}

// poster shares the work of postEvents among its workers: each takes the
// next event number, waits for its turn at a fixed rate, and posts it.
type poster struct {
	api      *apiClient
	app      string
	bodies   *eventBodies
	plan     loadPlan
	total    int
	deadline time.Time // zero: no time bound

	next     atomic.Int64
	lastDone atomic.Int64 // Unix nanoseconds of the latest answer

	mu  sync.Mutex // guards res's counters while workers merge
	res *loadResult
}

// tally is one worker's share of the result.
type tally struct {
	sent, accepted, failed int
	firstErr               error
	latencies              []time.Duration
}

// work posts events until the plan's count or time is used up.
func (p *poster) work(ctx context.Context) tally {
	var t tally
	for ctx.Err() == nil {
		n := int(p.next.Add(1) - 1)
		if n >= p.total || !p.waitTurn(ctx, n) {
			break
		}
		began := time.Now()
		if !p.deadline.IsZero() && began.After(p.deadline) {
			break
		}
		p.res.starts[n] = began.UnixNano()
		err := p.api.postMessage(ctx, p.app, p.bodies.body(n))
		took := time.Since(began)
		p.lastDone.Store(time.Now().UnixNano())
		t.sent++
		if err != nil {
			t.failed++
			if t.firstErr == nil {
				t.firstErr = err
			}
			continue
		}
		t.accepted++
		p.res.acceptedAt[n] = true
		t.latencies = append(t.latencies, took)
	}
	return t
}

// waitTurn waits until event n is due at the plan's rate (at once when
// the rate is 0); false if ctx ended first.
func (p *poster) waitTurn(ctx context.Context, n int) bool {
	if p.plan.rate <= 0 {
		return true
	}
	due := p.res.start.Add(time.Duration(float64(n) / float64(p.plan.rate) * float64(time.Second)))
	return sleepUntil(ctx, due)
}

func (p *poster) merge(t tally) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.res.sent += t.sent
	p.res.accepted += t.accepted
	p.res.failed += t.failed
	p.res.latencies = append(p.res.latencies, t.latencies...)
	if p.res.firstErr == nil {
		p.res.firstErr = t.firstErr
	}
}

// sleepUntil waits until t, or returns false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// waitForDeliveries waits until the sink has seen want arrivals, timeout
// passes, or ctx ends.
func waitForDeliveries(ctx context.Context, s *sink, want int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for s.delivered() < want && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

package retention_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/retention"
)

// fakeStore holds, per app, the creation times of prunable messages, and
// records every PruneMessages call.
type fakeStore struct {
	mu       sync.Mutex
	days     map[string]int
	messages map[string][]time.Time // oldest first
	calls    []pruneCall
	failApp  string
}

type pruneCall struct {
	app    string
	cutoff time.Time
	limit  int
	at     time.Time
}

func (f *fakeStore) AppRetentionDays(_ context.Context, app string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.days[app], nil
}

func (f *fakeStore) SetAppRetentionDays(_ context.Context, app string, days int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.days[app] = days
	return nil
}

func (f *fakeStore) RetentionDaysByApp(context.Context) (map[string]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.days {
		out[k] = v
	}
	return out, nil
}

func (f *fakeStore) PruneMessages(_ context.Context, app string, cutoff time.Time, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, pruneCall{app: app, cutoff: cutoff, limit: limit, at: time.Now()})
	if app == f.failApp {
		return 0, errors.New("database on fire")
	}
	n := 0
	for n < limit && n < len(f.messages[app]) && f.messages[app][n].Before(cutoff) {
		n++
	}
	f.messages[app] = f.messages[app][n:]
	return n, nil
}

// ages returns creation times of n messages each days old, oldest first.
func ages(now time.Time, n, days int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = now.Add(-time.Duration(days) * retention.Day)
	}
	return out
}

func TestPruneAllUsesEachAppsPeriod(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	store := &fakeStore{
		days: map[string]int{"default": 0, "short": 7, "long": 365},
		messages: map[string][]time.Time{
			// 40 days old: past a 7-day period, within 90 and 365.
			"default": append(ages(now, 3, 100), ages(now, 2, 40)...),
			"short":   append(ages(now, 3, 100), ages(now, 2, 40)...),
			"long":    append(ages(now, 3, 100), ages(now, 2, 40)...),
		},
	}
	p := retention.NewPruner(store, retention.Config{Now: func() time.Time { return now }, Pause: time.Millisecond})
	deleted, err := p.PruneAll(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 + 5 + 0; deleted != want {
		t.Errorf("deleted %d, want %d", deleted, want)
	}
	wantCutoff := map[string]time.Time{
		"default": now.Add(-90 * retention.Day),
		"short":   now.Add(-7 * retention.Day),
		"long":    now.Add(-365 * retention.Day),
	}
	for _, c := range store.calls {
		if !c.cutoff.Equal(wantCutoff[c.app]) {
			t.Errorf("app %s pruned with cutoff %v, want %v", c.app, c.cutoff, wantCutoff[c.app])
		}
	}
}

func TestPruneAllHonoursConfiguredDefault(t *testing.T) {
	now := time.Now()
	store := &fakeStore{days: map[string]int{"a": 0}, messages: map[string][]time.Time{"a": ages(now, 4, 40)}}
	p := retention.NewPruner(store, retention.Config{DefaultDays: 30, Now: func() time.Time { return now }})
	if deleted, err := p.PruneAll(t.Context()); err != nil || deleted != 4 {
		t.Errorf("with a 30-day default, deleted %d 40-day-old messages (%v), want 4", deleted, err)
	}
}

func TestPruneAppWorksInBatchesWithPauses(t *testing.T) {
	now := time.Now()
	store := &fakeStore{days: map[string]int{"a": 0}, messages: map[string][]time.Time{"a": ages(now, 23, 100)}}
	const pause = 20 * time.Millisecond
	p := retention.NewPruner(store, retention.Config{BatchSize: 10, Pause: pause})
	deleted, err := p.PruneApp(t.Context(), "a", now)
	if err != nil || deleted != 23 {
		t.Fatalf("deleted %d, %v; want 23", deleted, err)
	}
	if len(store.calls) != 3 {
		t.Fatalf("%d batches, want 3 (10, 10, 3)", len(store.calls))
	}
	for i, c := range store.calls {
		if c.limit != 10 {
			t.Errorf("batch %d asked for %d, want the batch size 10", i, c.limit)
		}
		if i > 0 && c.at.Sub(store.calls[i-1].at) < pause {
			t.Errorf("batch %d began %v after the previous one, want a pause of at least %v", i, c.at.Sub(store.calls[i-1].at), pause)
		}
	}
}

func TestPruneAllGoesOnAfterAFailingApp(t *testing.T) {
	now := time.Now()
	store := &fakeStore{
		days:     map[string]int{"a": 0, "b": 0},
		messages: map[string][]time.Time{"a": ages(now, 2, 100), "b": ages(now, 2, 100)},
		failApp:  "a",
	}
	p := retention.NewPruner(store, retention.Config{})
	deleted, err := p.PruneAll(t.Context())
	if err == nil {
		t.Error("a failing app was not reported")
	}
	if deleted != 2 {
		t.Errorf("deleted %d, want app b's 2 despite app a failing", deleted)
	}
}

func TestRunPrunesEveryIntervalUntilCancelled(t *testing.T) {
	now := time.Now()
	store := &fakeStore{days: map[string]int{"a": 0}, messages: map[string][]time.Time{"a": ages(now, 1, 100)}}
	p := retention.NewPruner(store, retention.Config{FirstRound: time.Millisecond, Interval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		store.mu.Lock()
		rounds := len(store.calls)
		store.mu.Unlock()
		if rounds >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d rounds in 5 s with a 10 ms interval", rounds)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func TestValidateDays(t *testing.T) {
	tests := []struct {
		days int
		ok   bool
	}{
		{0, true},
		{1, true},
		{90, true},
		{retention.MaxDays, true},
		{retention.MaxDays + 1, false},
		{-1, false},
	}
	for _, tt := range tests {
		if err := retention.ValidateDays(tt.days); (err == nil) != tt.ok {
			t.Errorf("ValidateDays(%d) = %v, want ok %v", tt.days, err, tt.ok)
		}
	}
}

func TestEffective(t *testing.T) {
	tests := []struct{ days, def, want int }{
		{0, 0, retention.DefaultDays},
		{0, 30, 30},
		{7, 30, 7},
		{7, 0, 7},
	}
	for _, tt := range tests {
		if got := retention.Effective(tt.days, tt.def); got != tt.want {
			t.Errorf("Effective(%d, %d) = %d, want %d", tt.days, tt.def, got, tt.want)
		}
	}
}

package node

import (
	"errors"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// keepRuntimeSettings sets the collector's target to 100 for the test and
// restores both runtime settings TuneRuntime changes when it ends; it
// returns the memory limit as it was. It skips the test where GOMEMLIMIT
// is set, since TuneRuntime then leaves the limit alone.
func keepRuntimeSettings(t *testing.T) (limitBefore int64) {
	t.Helper()
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		t.Skip("GOMEMLIMIT is set in this test's environment; TuneRuntime leaves it alone")
	}
	gcBefore, limitBefore := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(gcBefore)
		debug.SetMemoryLimit(limitBefore)
	})
	return limitBefore
}

func TestTuneRuntime(t *testing.T) {
	keepRuntimeSettings(t)
	log := slog.New(slog.DiscardHandler)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	t.Run("defaults", func(t *testing.T) {
		const cgroupLimit = 1000 << 20 // 0.8 of it is a whole number
		got := tuneRuntime(getenv, log, memlimit.Limit(cgroupLimit))
		want := RuntimeSettings{GCPercent: DefaultGCPercent, MemoryLimit: int64(cgroupLimit * memoryLimitRatio)}
		if got != want {
			t.Errorf("tuneRuntime = %+v, want %+v", got, want)
		}
		if gc := debug.SetGCPercent(100); gc != DefaultGCPercent {
			t.Errorf("the collector runs at %d, want %d", gc, DefaultGCPercent)
		}
		if limit := debug.SetMemoryLimit(math.MaxInt64); limit != want.MemoryLimit {
			t.Errorf("the memory limit is %d, want %d", limit, want.MemoryLimit)
		}
	})
	t.Run("no cgroup limit", func(t *testing.T) {
		noLimit := func() (uint64, error) { return 0, memlimit.ErrNoLimit }
		if got := tuneRuntime(getenv, log, noLimit); got.MemoryLimit != math.MaxInt64 {
			t.Errorf("memory limit %d, want none (%d)", got.MemoryLimit, int64(math.MaxInt64))
		}
	})
	t.Run("GOGC given", func(t *testing.T) {
		debug.SetGCPercent(100)
		for v, want := range map[string]int{"50": 50, "off": -1, "many": 100} {
			env["GOGC"] = v
			if got := tuneRuntime(getenv, log, memlimit.Limit(1<<30)); got.GCPercent != want {
				t.Errorf("GOGC=%s: GCPercent = %d, want %d", v, got.GCPercent, want)
			}
			if gc := debug.SetGCPercent(100); gc != 100 {
				t.Errorf("GOGC=%s: the collector's target was changed to %d; the environment's should stand", v, gc)
			}
		}
	})
}

func TestTuneRuntimeLogsAnUnreadableCgroup(t *testing.T) {
	limitBefore := keepRuntimeSettings(t)
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelInfo}))
	unreadable := func() (uint64, error) { return 0, errors.New("no usable cgroup v2 memory mount found") }
	got := tuneRuntime(func(string) string { return "" }, log, unreadable)
	if got.MemoryLimit != limitBefore {
		t.Errorf("memory limit %d after a failed read, want it unchanged (%d)", got.MemoryLimit, limitBefore)
	}
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "no usable cgroup") {
		t.Errorf("log = %q, want a warning naming the cause", logged.String())
	}

	logged.Reset()
	notLinux := func() (uint64, error) { return 0, memlimit.ErrCgroupsNotSupported }
	tuneRuntime(func(string) string { return "" }, log, notLinux)
	if logged.Len() != 0 {
		t.Errorf("where there are no cgroups, logged %q at info level; want nothing", logged.String())
	}
}

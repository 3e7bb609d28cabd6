package node

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strconv"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// DefaultGCPercent is the garbage collector's growth target (GOGC) that
// TuneRuntime sets when the environment does not name one.
//
// Go's default, 100, starts a collection each time the heap has doubled
// since the last one. hookbridge keeps little alive (its live heap is a
// few tens of megabytes: caches, runtimes, requests in flight) but
// allocates a great deal per event (request bodies, the transformation's
// objects, the recorded attempt), so at 100 it collects many times a
// second under load, with its write barriers on meanwhile; 400 lets
// SQLite sustain more events per second end to end (why:
// docs/benchmarks.md, “Round 4”). The price is memory: the heap may grow
// to five times what is live instead of twice under load; idle, no
// change. Inside a container the memory limit keeps that in check
// (memoryLimitRatio).
const DefaultGCPercent = 400

// memoryLimitRatio is the share of a container's (cgroup's) memory limit
// that TuneRuntime gives the Go heap as its soft limit (GOMEMLIMIT) when
// the environment sets none: near it the collector runs as often as it
// must, whatever GOGC says, so that a larger GOGC cannot take a process
// in a small container past its limit. The rest is for what Go does not
// count: goroutine stacks, and SQLite's page cache.
const memoryLimitRatio = 0.8

// RuntimeSettings are the Go runtime settings TuneRuntime left in effect.
type RuntimeSettings struct {
	// GCPercent is the collector's growth target (-1: off).
	GCPercent int
	// MemoryLimit is the soft limit on the Go heap in bytes
	// (math.MaxInt64: none).
	MemoryLimit int64
}

// TuneRuntime applies hookbridge's defaults for the Go runtime to this
// process: the collector's growth target DefaultGCPercent unless GOGC is
// set (getenv("GOGC")), and a soft memory limit of memoryLimitRatio of the
// cgroup's memory limit unless GOMEMLIMIT is set (automemlimit reads
// GOMEMLIMIT, and AUTOMEMLIMIT=off which turns this off, from the process
// environment itself). Where the cgroup cannot be read the heap has no
// limit; that is logged as a warning on Linux, where containers are, and
// only at debug level elsewhere.
func TuneRuntime(getenv func(string) string, log *slog.Logger) RuntimeSettings {
	return tuneRuntime(getenv, log, memlimit.FromCgroup)
}

func tuneRuntime(getenv func(string) string, log *slog.Logger, memory memlimit.Provider) RuntimeSettings {
	gcPercent := DefaultGCPercent
	switch v := getenv("GOGC"); v {
	case "":
		debug.SetGCPercent(DefaultGCPercent)
	case "off":
		gcPercent = -1
	default:
		var err error
		if gcPercent, err = strconv.Atoi(v); err != nil {
			gcPercent = 100 // the runtime ignores a GOGC it cannot read
		}
	}
	// On failure the limit stays as it was; the caller logs the outcome.
	limit, err := memlimit.Set(memlimit.WithRatio(memoryLimitRatio), memlimit.WithProvider(memory))
	if err != nil {
		level := slog.LevelWarn
		if errors.Is(err, memlimit.ErrCgroupsNotSupported) || errors.Is(err, memlimit.ErrNoCgroup) {
			level = slog.LevelDebug
		}
		log.Log(context.Background(), level, "no memory limit for the Go heap: the container's limit could not be read; set GOMEMLIMIT", "err", err)
	}
	return RuntimeSettings{GCPercent: gcPercent, MemoryLimit: limit}
}

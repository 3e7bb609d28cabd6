package main

import (
	"time"

	"github.com/hookbridge/hookbridge"
)

// A run's throughput on a shared machine swings with whatever else runs
// there; the work it took does not, or much less. So the report also says
// how much CPU time the process used per delivered event, and, on an
// in-process SQLite store, what its single writer did: how many commits,
// how many transactions each, and how much of the time it was busy.

// workMeter reads the process's CPU time and the writer's counters at the
// start of a run, to tell what the run used.
type workMeter struct {
	start       time.Time
	cpu         time.Duration
	cpuKnown    bool
	writerStats func() hookbridge.WriterStats
	writer      hookbridge.WriterStats
}

// work is what a run used, from the first event to the last delivery.
type work struct {
	wall     time.Duration
	cpu      time.Duration
	cpuKnown bool
	// writer is the writer's share, if there is one.
	writer *hookbridge.WriterStats
}

// startWorkMeter starts measuring; writerStats may be nil.
func startWorkMeter(writerStats func() hookbridge.WriterStats) *workMeter {
	m := &workMeter{start: time.Now(), writerStats: writerStats}
	m.cpu, m.cpuKnown = processCPU()
	if writerStats != nil {
		m.writer = writerStats()
	}
	return m
}

// read tells what was used since the start.
func (m *workMeter) read() work {
	w := work{wall: time.Since(m.start)}
	if cpu, ok := processCPU(); ok && m.cpuKnown {
		w.cpu, w.cpuKnown = cpu-m.cpu, true
	}
	if m.writerStats != nil {
		now := m.writerStats()
		w.writer = &hookbridge.WriterStats{
			Busy:         now.Busy - m.writer.Busy,
			Commits:      now.Commits - m.writer.Commits,
			Transactions: now.Transactions - m.writer.Transactions,
		}
	}
	return w
}

// writerReport is what the SQLite writer did during a run.
type writerReport struct {
	CommitsPerSec         float64 `json:"commits_per_second"`
	TransactionsPerCommit float64 `json:"transactions_per_commit"`
	// BusyFraction is the share of the run's time the writer spent
	// running and committing groups (not waiting for them).
	BusyFraction float64 `json:"busy_fraction"`
}

// addWork fills in the CPU time and the writer's work of a run that
// delivered delivered events.
func (r *report) addWork(w work, delivered int) {
	if w.wall <= 0 {
		return
	}
	if w.cpuKnown {
		r.CPUSeconds = w.cpu.Seconds()
		r.CPUsBusy = w.cpu.Seconds() / w.wall.Seconds()
		if delivered > 0 {
			r.CPUMicrosPerDelivery = float64(w.cpu.Microseconds()) / float64(delivered)
		}
	}
	if w.writer != nil {
		r.Writer = &writerReport{
			CommitsPerSec: float64(w.writer.Commits) / w.wall.Seconds(),
			BusyFraction:  w.writer.Busy.Seconds() / w.wall.Seconds(),
		}
		if w.writer.Commits > 0 {
			r.Writer.TransactionsPerCommit = float64(w.writer.Transactions) / float64(w.writer.Commits)
		}
	}
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Checkpoints. In WAL mode a commit appends the pages it changed to the
// write-ahead log, and a checkpoint copies them back into the database file
// so that the log can start over. By default SQLite checkpoints on the
// committing connection each time the log passes 1,000 pages — here the
// writer, so no transaction commits while it copies pages and syncs the
// file; with synchronous=NORMAL those syncs are the only ones the writer
// would make. As SQLite's documentation suggests for such applications,
// the writer checkpoints only past writerCheckpointPages, a backstop, and a
// checkpointer on a connection of its own copies the log after commits, at
// most once per checkpointInterval, in PASSIVE mode: it never waits for the
// writer or the readers, and they never wait for it. What it cannot copy
// yet (a reader still needs it) the next one does (why:
// docs/benchmarks.md, “Round 3”).

const (
	// checkpointInterval is the least time between background checkpoints
	// (why: docs/benchmarks.md, “Round 3”); it bounds the log to about
	// half a second of writes.
	checkpointInterval = 500 * time.Millisecond
	// writerCheckpointPages is how long the log (in pages of 4 KiB) may
	// grow before the writer checkpoints it itself; the checkpointer keeps
	// it far shorter unless it fails.
	writerCheckpointPages = 10_000
)

// checkpointer copies the write-ahead log into the database file in the
// background.
type checkpointer struct {
	db   *sql.DB
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// openCheckpointer opens the checkpointer's connection to path and starts
// it.
func openCheckpointer(ctx context.Context, path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, url.Values{
		"_pragma": {
			fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis),
			"synchronous(NORMAL)",
		},
	}))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect checkpointer: %w", err), db.Close())
	}
	c := &checkpointer{db: db, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

// committed tells the checkpointer that the log has grown; it never
// blocks.
func (c *checkpointer) committed() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	pause := time.NewTimer(0)
	defer pause.Stop()
	for {
		select {
		case <-c.wake:
		case <-c.stop:
			return
		}
		// A failed checkpoint leaves the log to the next one, or to the
		// writer's backstop; nothing is lost either way.
		_, _ = c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		pause.Reset(checkpointInterval)
		select {
		case <-pause.C:
		case <-c.stop:
			return
		}
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}

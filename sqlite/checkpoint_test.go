package sqlite

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestCheckpointerCopiesTheLogInTheBackground writes a few megabytes, far
// less than the writer's own checkpoint threshold, and waits for the
// database file to grow: only a checkpoint copies pages from the
// write-ahead log into it.
func TestCheckpointerCopiesTheLogInTheBackground(t *testing.T) {
	s := openInternalStore(t)
	if _, err := s.write.Exec(`CREATE TABLE bulk (b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	path := s.dbPath(t)
	before := fileSize(t, path)
	const writes, blob = 40, 100_000 // 4 MB: about 1,000 pages, a tenth of the threshold
	for range writes {
		err := s.inWriteTx(t.Context(), func(tx txn) error {
			_, err := tx.ExecContext(context.Background(), `INSERT INTO bulk (b) VALUES (randomblob(?))`, blob)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+writes*blob/2 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (%d before) 10 s after writing %d bytes: nothing checkpointed it",
				fileSize(t, path), before, writes*blob)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dbPath returns the file the store's writer has open.
func (s *Store) dbPath(t *testing.T) string {
	t.Helper()
	var seq int
	var name, file string
	if err := s.read.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrLocked means another process holds the database file (see
// Exclusive). Open's error wraps it in a *LockedError naming that process.
var ErrLocked = errors.New("database in use by another process")

// LockedError says which process holds a database file's lock.
type LockedError struct {
	// LockFile is the path of the lock file; PID the process id written
	// into it, 0 if it could not be read.
	LockFile string
	PID      int
}

func (e *LockedError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = fmt.Sprintf("process %d", e.PID)
	}
	return fmt.Sprintf("%v: %s holds %s; stop it first, or give this one another data directory", ErrLocked, holder, e.LockFile)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// lockPath is the lock file of the database at path, beside it.
func lockPath(path string) string { return path + ".lock" }

// fileLock is an exclusive lock on a lock file, held by this process until
// unlock (or until it dies: the system lets go of it then).
type fileLock struct {
	f *os.File
}

// acquireLock takes the lock file at path without waiting, and writes this
// process's id into it. If another process holds it, the error is a
// *LockedError with the pid that process wrote.
func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("lock %s: %w", path, err), f.Close())
	}
	if !held {
		pid := readPID(f)
		return nil, errors.Join(&LockedError{LockFile: path, PID: pid}, f.Close())
	}
	if err := writePID(f); err != nil {
		return nil, errors.Join(fmt.Errorf("write pid into %s: %w", path, err), f.Close())
	}
	return &fileLock{f: f}, nil
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	return pid
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// unlock lets go of the lock; the file stays, with the last holder's pid.
func (l *fileLock) unlock() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}

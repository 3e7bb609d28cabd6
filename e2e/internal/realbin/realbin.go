// Package realbin builds the hookbridge binary and runs "hookbridge serve"
// as real processes, for the tests that signal, kill and restart them
// (e2e/lifecycle, e2e/multinode).
package realbin

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Build compiles cmd/hookbridge to path, with the race detector if race.
func Build(path string, race bool) error {
	args := []string{"build", "-o", path}
	if race {
		args = append(args, "-race")
	}
	args = append(args, "github.com/hookbridge/hookbridge/cmd/hookbridge")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	return nil
}

// listening matches the log line that says where the server listens.
var listening = regexp.MustCompile(`msg="hookbridge is running".* url=(http://\S+)`)

// startTimeout is how long a process may take to listen.
const startTimeout = 30 * time.Second

// Process is one running "hookbridge serve".
type Process struct {
	Name string
	// URL is where it listens, as it logged it.
	URL string

	cmd    *exec.Cmd
	exited chan struct{}

	mu  sync.Mutex
	log bytes.Buffer
}

// Start runs "bin serve" with env added to the test's environment and
// waits until it listens. When the test ends the process is killed (if it
// still runs) and, if the test failed, its log is shown.
func Start(t testing.TB, bin, name string, env []string) *Process {
	t.Helper()
	p := &Process{Name: name, cmd: exec.Command(bin, "serve"), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout = io.Discard
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	ready := make(chan string, 1)
	go p.readLog(stderr, ready)
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("log of %s:\n%s", name, p.Log())
		}
	})
	select {
	case p.URL = <-ready:
		return p
	case <-p.exited:
		t.Fatalf("%s exited before listening:\n%s", name, p.Log())
	case <-time.After(startTimeout):
		t.Fatalf("%s did not listen within %v:\n%s", name, startTimeout, p.Log())
	}
	return nil
}

// readLog keeps the process's log and reports its URL once it listens.
func (p *Process) readLog(r io.Reader, ready chan<- string) {
	defer close(p.exited)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		fmt.Fprintln(&p.log, line)
		p.mu.Unlock()
		if m := listening.FindStringSubmatch(line); m != nil {
			select {
			case ready <- m[1]:
			default:
			}
		}
	}
	_ = p.cmd.Wait()
}

// Log returns what the process has logged so far.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Terminate sends SIGTERM and waits for the exit, at most wait; it returns
// the exit code, or an error if the process did not exit in time.
func (p *Process) Terminate(wait time.Duration) (int, error) {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, fmt.Errorf("send SIGTERM to %s: %w", p.Name, err)
	}
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode(), nil
	case <-time.After(wait):
		return 0, errors.New(p.Name + ": no exit after SIGTERM")
	}
}

// Kill ends the process at once (SIGKILL): nothing is finished or handed
// back, requests in flight are cut off. Killing an exited process does
// nothing.
func (p *Process) Kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// PID is the process's id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Stop pauses the process (SIGSTOP) until Continue: it holds its leases and
// its connections but does nothing, as a process stalled by its machine.
func (p *Process) Stop() error { return p.cmd.Process.Signal(syscall.SIGSTOP) }

// Continue resumes a process paused by Stop (SIGCONT).
func (p *Process) Continue() error { return p.cmd.Process.Signal(syscall.SIGCONT) }

// RunToExit runs "bin serve" with env added to the test's environment, for
// one that must not start: it returns the exit code and what the process
// wrote, or an error if it still runs after wait.
func RunToExit(bin string, env []string, wait time.Duration) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return 0, string(out), fmt.Errorf("still running after %v", wait)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out), nil
	}
	return 0, string(out), err
}

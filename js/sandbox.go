package js

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/hookbridge/hookbridge"
)

// Options are the limits of a Sandbox; a zero field takes its default.
type Options struct {
	// Timeout is how long one call may run, the user's top-level code
	// included when a runtime has to be made for it (default 1 s, at most
	// MaxTimeout).
	Timeout time.Duration
	// MaxOutput is the largest payload, in bytes of JSON, a handler may
	// return; it also bounds what JSON.stringify builds (default 1 MiB).
	MaxOutput int
	// MaxCodeSize is the largest code accepted, in bytes (default 256 KiB).
	MaxCodeSize int
	// MaxConsoleLines is how many console lines one call keeps (default
	// 100); each line is at most 4 KiB.
	MaxConsoleLines int
	// MaxStackDepth is the deepest JavaScript call nesting (default 1000).
	MaxStackDepth int
	// MaxMemory is how many bytes the heap may grow by while one call runs
	// before the call is stopped (default 64 MiB; negative: no limit). It
	// also sizes the largest array and typed array a built-in may make
	// (MaxMemory/16 elements) — see memory.go and bounds.go.
	MaxMemory int64
}

// Defaults of Options.
const (
	DefaultTimeout         = time.Second
	DefaultMaxOutput       = 1 << 20
	DefaultMaxCodeSize     = 256 << 10
	DefaultMaxConsoleLines = 100
	DefaultMaxStackDepth   = 1000
	DefaultMaxMemory       = 64 << 20
)

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	o.Timeout = min(o.Timeout, MaxTimeout)
	if o.MaxOutput <= 0 {
		o.MaxOutput = DefaultMaxOutput
	}
	if o.MaxCodeSize <= 0 {
		o.MaxCodeSize = DefaultMaxCodeSize
	}
	if o.MaxConsoleLines <= 0 {
		o.MaxConsoleLines = DefaultMaxConsoleLines
	}
	if o.MaxStackDepth <= 0 {
		o.MaxStackDepth = DefaultMaxStackDepth
	}
	o.MaxMemory = cmp.Or(o.MaxMemory, DefaultMaxMemory)
	return o
}

// stopGrace is how long a run may take to stop after it was interrupted
// before the caller stops waiting for it. JavaScript stops at once; only a
// built-in running in Go (a huge sort, a regular expression that
// backtracks) can outlast it.
const stopGrace = 100 * time.Millisecond

// maxSharedStuck is how many abandoned runs of code without a key (a
// code check's) or with a scratch key (the test API's, see
// hookbridge.ScratchKey) may still be burning CPU, all together, before
// further ones are refused.
const maxSharedStuck = 4

// Sandbox runs transformation code; it implements hookbridge.Transformer
// and is safe for concurrent use.
type Sandbox struct {
	limits   Options
	programs *programCache
	// runners runs each call on a goroutine that keeps its stack.
	runners *runnerPool
	// sharedStuck counts abandoned runs of code without a key or with a
	// scratch key.
	sharedStuck atomic.Int32
	// extendRuntime, if set, is called on every new runtime before the
	// user's code runs; tests use it to add globals.
	extendRuntime func(*instance)
}

var _ hookbridge.Transformer = (*Sandbox)(nil)

// New returns a Sandbox with the given limits.
func New(opts Options) *Sandbox {
	s := &Sandbox{limits: opts.withDefaults(), runners: newRunnerPool()}
	s.programs = newProgramCache(&s.sharedStuck)
	return s
}

// Check compiles code and runs its top-level statements in a fresh runtime
// to make sure it defines a function handler.
func (s *Sandbox) Check(code string) error {
	p, err := s.unkeyed(code)
	if err != nil {
		return err
	}
	_, err = s.execute(context.Background(), p, nil)
	return err
}

// Transform runs the handler of code on in. Failures of the code are
// *hookbridge.CodeError; a payload that is not JSON, or ctx ending, give
// other errors.
func (s *Sandbox) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("js: transform: %w", err)
	}
	var p *program
	if key == "" {
		var err error
		if p, err = s.unkeyed(code); err != nil {
			return nil, err
		}
	} else {
		if err := s.checkSize(code); err != nil {
			return nil, err
		}
		p = s.programs.get(key, code)
		if err := p.compile(); err != nil {
			return nil, err
		}
	}
	out, err := s.execute(ctx, p, &in)
	if err != nil {
		return nil, err
	}
	out.Duration = time.Since(start)
	return out, nil
}

// unkeyed compiles code that is not cached.
func (s *Sandbox) unkeyed(code string) (*program, error) {
	if err := s.checkSize(code); err != nil {
		return nil, err
	}
	p := &program{code: code, stuck: &s.sharedStuck, maxStuck: maxSharedStuck}
	if err := p.compile(); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Sandbox) checkSize(code string) error {
	if len(code) > s.limits.MaxCodeSize {
		return codeError(kindLimit, "the code is %d bytes; at most %d are allowed", len(code), s.limits.MaxCodeSize)
	}
	return nil
}

// runResult is what a run hands back to the goroutine waiting for it.
type runResult struct {
	out *hookbridge.TransformOutput
	err error
}

// execute runs the handler of p on in (or, with in nil, only loads the
// code), and interrupts it when the time limit passes, the heap grows past
// the memory budget or ctx ends. A run that does not stop within stopGrace
// of being interrupted is abandoned, and further runs of the same code are
// refused until it has ended.
//
// Code with an endpoint's key (the delivery path) runs on the caller's
// goroutine — a runner costs goroutine switches that wake an idle
// processor (why: docs/benchmarks.md, “Round 5”) — until one of its runs
// has had to be abandoned; from then on, and always for code without a key
// or with a scratch key (the test API's, whatever a user pastes), it runs
// on a runner, a goroutine of its own, which the caller can leave behind:
// see inplace.go.
func (s *Sandbox) execute(ctx context.Context, p *program, in *hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	if p.isStuck() {
		return nil, codeError(kindTimeout, "an earlier run of this code is still stuck in a built-in past its time limit; try again later")
	}
	if p.key != "" && !p.scratch && !p.onRunner.Load() {
		return s.executeInPlace(ctx, p, in)
	}
	return s.executeOnRunner(ctx, p, in)
}

// executeOnRunner runs p on a goroutine of its own. If the run does not
// stop within stopGrace of being interrupted, the caller gets its answer
// at once and the run is left to finish on its own.
func (s *Sandbox) executeOnRunner(ctx context.Context, p *program, in *hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	a := &watchedRun{program: p, ready: make(chan struct{})}
	done := make(chan runResult, 1)
	s.runners.do(func() { done <- s.run(a, in) })

	o, reason := s.watch(ctx, a, done)
	if reason == nil {
		return o.out, o.err
	}
	a.interrupt(reason)

	grace := time.NewTimer(stopGrace)
	defer grace.Stop()
	select {
	case o := <-done:
		return o.out, o.err
	case <-grace.C:
		if !a.abandon() {
			o := <-done
			return o.out, o.err
		}
	}
	return nil, s.abandonedError(reason)
}

// abandonedError is what the caller of a run that was abandoned gets,
// given why the run was interrupted.
func (s *Sandbox) abandonedError(reason error) error {
	switch {
	case errors.Is(reason, errTimedOut):
		return codeError(kindTimeout, "handler did not finish within %v (it was stuck in a built-in function)", s.limits.Timeout)
	case errors.Is(reason, errOutOfMemory):
		return memoryError(&s.limits)
	}
	return fmt.Errorf("js: transformation stopped: %w", reason)
}

// watch waits for a run. Its clock starts once the run has a runtime (so
// that waiting for a CPU to build one does not count against the code);
// it returns the run's result, or why the run must be interrupted: its time is
// up, the heap grew past its memory budget, or ctx ended.
func (s *Sandbox) watch(ctx context.Context, a *watchedRun, done <-chan runResult) (runResult, error) {
	select {
	case o := <-done:
		return o, nil
	case <-a.ready:
	case <-ctx.Done():
		return runResult{}, ctx.Err()
	}
	timer := time.NewTimer(s.limits.Timeout)
	defer timer.Stop()
	memory := watchMemory(s.limits.MaxMemory)
	check, stop := memory.ticks()
	defer stop()
	for {
		select {
		case o := <-done:
			return o, nil
		case <-timer.C:
			return runResult{}, errTimedOut
		case <-ctx.Done():
			return runResult{}, ctx.Err()
		case <-check:
			if memory.exceeded() {
				return runResult{}, errOutOfMemory
			}
		}
	}
}

// run is the body of one watched run. No panic leaves it: one that got past
// the guards around each call into JavaScript becomes the run's error (see
// recovered).
func (s *Sandbox) run(a *watchedRun, in *hookbridge.TransformInput) (o runResult) {
	defer a.finish()
	var inst *instance
	defer func() {
		if x := recover(); x != nil {
			o = runResult{err: recovered(inst, x)}
		}
	}()
	inst = a.program.pool.take()
	fresh := inst == nil
	if fresh {
		var err error
		if inst, err = newInstance(&s.limits); err != nil {
			return runResult{err: err}
		}
		if s.extendRuntime != nil {
			s.extendRuntime(inst)
		}
		inst.lazyPayload = lazyPayloadSafe(a.program.code)
	}
	a.attach(inst)
	if fresh {
		if err := inst.load(a.program.prog); err != nil {
			return runResult{err: withConsole(err, inst.console.take())}
		}
	}
	if in == nil {
		return runResult{}
	}
	out, err := inst.call(*in)
	lines := inst.console.take()
	// An exception the code threw leaves the runtime fit for reuse; an
	// interruption or a stack overflow does not.
	if interrupted := a.finish(); !interrupted && !inst.broken {
		a.program.pool.put(inst)
	}
	if err != nil {
		return runResult{err: withConsole(err, lines)}
	}
	out.Console = lines
	return runResult{out: out}
}

// recovered is the error of a run that panicked with x, on inst (nil if
// it had none yet). The runtime is not pooled again.
func recovered(inst *instance, x any) error {
	if inst == nil {
		return crashError(x)
	}
	inst.broken = true
	return withConsole(runError(inst, panicError(x)), inst.console.take())
}

// withConsole attaches console lines to a CodeError.
func withConsole(err error, lines []string) error {
	if ce, ok := err.(*hookbridge.CodeError); ok && len(lines) > 0 {
		ce.Console = lines
	}
	return err
}

// watchedRun coordinates one run with the watchdog that may interrupt it. The
// mutex makes sure an instance is never interrupted after its run has
// finished, so an instance that finished untouched can be pooled.
type watchedRun struct {
	program *program

	// ready, if not nil, is closed once the run has its runtime.
	ready chan struct{}
	// onAttach, if not nil, is called once the run has its runtime.
	onAttach func()

	mu        sync.Mutex
	inst      *instance
	reason    error // set once interrupted
	finished  bool
	abandoned bool
}

// attach records the instance the run uses; a run interrupted before it
// had one is interrupted now.
func (a *watchedRun) attach(inst *instance) {
	a.mu.Lock()
	a.inst = inst
	if a.reason != nil {
		inst.interrupt(a.reason)
	}
	if a.ready != nil {
		close(a.ready)
	}
	a.mu.Unlock()
	// Outside the lock: the watch it starts takes its own lock, then this
	// one, to interrupt.
	if a.onAttach != nil {
		a.onAttach()
	}
}

func (a *watchedRun) interrupt(reason error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.finished || a.reason != nil {
		return
	}
	a.reason = reason
	if a.inst != nil {
		a.inst.interrupt(reason)
	}
}

// finish marks the run as over and reports whether it was interrupted.
// It may be called more than once.
func (a *watchedRun) finish() (interrupted bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.finished && a.abandoned {
		a.program.stuck.Add(-1)
	}
	a.finished = true
	return a.reason != nil
}

// wasAbandoned reports whether abandon succeeded, and why the run was
// interrupted.
func (a *watchedRun) wasAbandoned() (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.abandoned, a.reason
}

// abandon gives up waiting for a run that does not stop; it returns false
// if the run has finished meanwhile.
func (a *watchedRun) abandon() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.finished {
		return false
	}
	a.abandoned = true
	a.program.stuck.Add(1)
	return true
}

// program is one version of code: compiled once, with its idle runtimes.
type program struct {
	key  string // empty for code without a key
	code string
	// scratch is set for a scratch key's code (hookbridge.ScratchKey): it
	// always runs on a runner, and its stuck runs are counted with those
	// of code without a key.
	scratch bool

	once    sync.Once
	prog    *goja.Program
	compErr *hookbridge.CodeError

	pool pool
	// stuck counts abandoned runs still going; at maxStuck, runs are
	// refused. Programs of endpoints' keys count their own; those without
	// a key or with a scratch key share the Sandbox's.
	stuck    *atomic.Int32
	ownStuck atomic.Int32
	maxStuck int32
	// onRunner is set once a run on its caller's goroutine had to be
	// abandoned: later runs go to a runner.
	onRunner atomic.Bool
}

// compile compiles the code once; later calls return the same result.
func (p *program) compile() error {
	p.once.Do(func() { p.prog, p.compErr = compile(p.code) })
	if p.compErr != nil {
		return p.compErr
	}
	return nil
}

func (p *program) isStuck() bool {
	return p.stuck.Load() >= p.maxStuck
}

// compile parses and compiles user code. Source maps are off so that a
// //# sourceMappingURL comment cannot make the parser read a file.
func compile(code string) (*goja.Program, *hookbridge.CodeError) {
	ast, err := parser.ParseFile(nil, userFile, code, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, syntaxError(err)
	}
	prog, err := goja.CompileAST(ast, false)
	if err != nil {
		return nil, syntaxError(err)
	}
	return prog, nil
}

package js

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/hookbridge/hookbridge"
)

// The kinds of hookbridge.CodeError this package returns.
const (
	kindSyntax  = "syntax"
	kindRuntime = "runtime"
	kindTimeout = "timeout"
	kindLimit   = "limit"
	// kindMemory is kept apart from kindLimit: the memory watch measures the
	// whole process, so a run may be stopped for another run's allocation,
	// and callers retry it.
	kindMemory = "memory"
	kindResult = "result"
	// kindCrash is a panic inside the sandbox that is neither the code's
	// exception nor one of its limits: a fault of the runtime that the code
	// provoked, recovered so that it cannot end the process.
	kindCrash = "crash"
)

// userFile is the name the user's code is compiled under; stack frames
// with this name are the ones whose positions are reported.
const userFile = "handler.js"

// errTimedOut is the value a runtime is interrupted with when a call runs
// past its time limit.
var errTimedOut = errors.New("time limit exceeded")

func codeError(kind, format string, args ...any) *hookbridge.CodeError {
	return &hookbridge.CodeError{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// syntaxError turns a parser or compiler failure into a CodeError of kind
// "syntax" that names the line and column.
func syntaxError(err error) *hookbridge.CodeError {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		return &hookbridge.CodeError{Kind: kindSyntax, Message: first.Message,
			Line: first.Position.Line, Column: first.Position.Column}
	}
	var single *parser.Error
	if errors.As(err, &single) {
		return &hookbridge.CodeError{Kind: kindSyntax, Message: single.Message,
			Line: single.Position.Line, Column: single.Position.Column}
	}
	var compileErr *goja.CompilerSyntaxError
	if errors.As(err, &compileErr) {
		ce := &hookbridge.CodeError{Kind: kindSyntax, Message: compileErr.Message}
		if compileErr.File != nil {
			pos := compileErr.File.Position(compileErr.Offset)
			ce.Line, ce.Column = pos.Line, pos.Column
		}
		return ce
	}
	return &hookbridge.CodeError{Kind: kindSyntax, Message: err.Error()}
}

// runError turns what a goja call returned into an error: a CodeError for
// timeouts, stack overflows, thrown exceptions and crashes, or the
// context's error (wrapped) when the run was interrupted because its
// context ended. Describing a thrown exception runs user code (getters,
// Proxy traps, toJSON) under the run's limits; if that is interrupted or
// overflows the stack, that is the error.
//
// goja's errors are told apart by their type, never with errors.As or
// Error: a *goja.Exception's Unwrap walks the thrown value's prototype
// chain and its Error calls the value's toString, both user code.
func runError(inst *instance, err error) error {
	switch err := err.(type) {
	case *hookbridge.CodeError:
		return err
	case *goja.InterruptedError:
		cause, _ := err.Value().(error)
		stopped := inst.stoppedError(cause, "")
		if ce, ok := stopped.(*hookbridge.CodeError); ok {
			ce.Line, ce.Column = userPosition(err.Stack())
		}
		return stopped
	case *goja.StackOverflowError:
		ce := codeError(kindLimit, "maximum call stack size exceeded: more than %d nested calls", inst.limits.MaxStackDepth)
		ce.Line, ce.Column = userPosition(err.Stack())
		return ce
	case *goja.Exception:
		text, describeErr := inst.describeThrown(err.Value())
		if describeErr != nil {
			inst.noteFailure(describeErr)
			return runError(inst, describeErr)
		}
		ce := codeError(kindRuntime, "%s", text)
		ce.Line, ce.Column = userPosition(err.Stack())
		return ce
	}
	return crashError(err)
}

// stoppedError is the error of a run interrupted for reason (nil counts
// as the time limit); while, if not empty, says what the run was doing.
func (inst *instance) stoppedError(reason error, while string) error {
	var ce *hookbridge.CodeError
	switch {
	case errors.Is(reason, errOutOfMemory):
		ce = memoryError(inst.limits)
	case reason != nil && !errors.Is(reason, errTimedOut):
		return fmt.Errorf("js: transformation stopped: %w", reason)
	default:
		ce = codeError(kindTimeout, "handler did not finish within %v", inst.limits.Timeout)
	}
	if while != "" {
		ce.Message += " (" + while + ")"
	}
	return ce
}

// maxCrashDetail bounds the part of a crash's message that comes from the
// panic.
const maxCrashDetail = 200

// crashError is the error of a run during which the sandbox panicked with
// x. It never formats x as a JavaScript value: that could run user code.
func crashError(x any) *hookbridge.CodeError {
	var detail string
	switch v := x.(type) {
	case goja.Value, *goja.Exception:
		detail = "a JavaScript value surfaced where the sandbox did not expect one"
	case error:
		detail = v.Error()
	case string:
		detail = v
	default:
		detail = fmt.Sprintf("a panic with a %T", x)
	}
	if len(detail) > maxCrashDetail {
		detail = strings.ToValidUTF8(detail[:maxCrashDetail], "") + "…"
	}
	return codeError(kindCrash, "the JavaScript runtime crashed while running this code, and the run was stopped: %s", detail)
}

// isCrash reports whether err is the error of a crashed run.
func isCrash(err error) bool {
	ce, ok := err.(*hookbridge.CodeError)
	return ok && ce.Kind == kindCrash
}

// panicError is the error a run that panicked with x fails with: an
// interruption or stack overflow (which JavaScript cannot catch), or a
// crash as it was, or else a new crash.
func panicError(x any) error {
	if err, ok := x.(error); ok && (isUncatchable(err) || isCrash(err)) {
		return err
	}
	return crashError(x)
}

// memoryError is the error of a run stopped for using too much memory.
func memoryError(limits *Options) *hookbridge.CodeError {
	return codeError(kindMemory, "memory limit exceeded: the handler allocated more than %s while it ran, and was stopped", formatBytes(limits.MaxMemory))
}

// formatBytes writes a byte count the way limits are usually given.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// isUncatchable reports whether err ends a run for good: an interruption
// or a stack overflow, which JavaScript code cannot catch.
func isUncatchable(err error) bool {
	switch err.(type) {
	case *goja.InterruptedError, *goja.StackOverflowError:
		return true
	}
	return false
}

// describeThrown renders a thrown value the way a browser names an
// uncaught exception: "TypeError: x is not a function" for errors, the
// text for a thrown string, the console rendering for anything else.
// Rendering reads the value (getters, Proxy traps, toJSON), so it runs
// guarded: a value that throws while it is read is named by its type, and
// an interruption, a stack overflow or a crash is returned as err.
func (inst *instance) describeThrown(v goja.Value) (text string, err error) {
	err = inst.guarded(func() { text = inst.renderThrown(v) })
	if err != nil && !isUncatchable(err) && !isCrash(err) {
		return "uncaught " + typeOf(v) + " that cannot be shown", nil
	}
	return text, err
}

// renderThrown is describeThrown's rendering; call it inside
// instance.guarded.
func (inst *instance) renderThrown(v goja.Value) string {
	if obj, ok := v.(*goja.Object); ok {
		var text string
		var isError bool
		if ex := inst.vm.Try(func() { text, isError = errorText(obj) }); ex == nil && isError {
			return text
		}
	}
	return inst.console.formatValue(v)
}

// errorText returns "Name: message" for Error objects. It reads name and
// message, which user code could have made getters: call it inside
// Runtime.Try.
func errorText(obj *goja.Object) (string, bool) {
	if obj.ClassName() != "Error" {
		return "", false
	}
	name, message := "Error", ""
	if n, ok := obj.Get("name").(goja.String); ok {
		name = n.String()
	}
	if m, ok := obj.Get("message").(goja.String); ok {
		message = m.String()
	}
	if message == "" {
		return name, true
	}
	return name + ": " + message, true
}

// userPosition returns the line and column of the innermost stack frame
// that lies in the user's code.
func userPosition(stack []goja.StackFrame) (line, column int) {
	for i := range stack {
		if stack[i].SrcName() != userFile {
			continue
		}
		pos := stack[i].Position()
		if pos.Line > 0 {
			return pos.Line, pos.Column
		}
	}
	return 0, 0
}

package js

import (
	"errors"
	"fmt"

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
// timeouts, stack overflows and thrown exceptions, or the context's error
// (wrapped) when the run was interrupted because its context ended.
func runError(inst *instance, err error) error {
	var interrupted *goja.InterruptedError
	if errors.As(err, &interrupted) {
		cause, _ := interrupted.Value().(error)
		var ce *hookbridge.CodeError
		switch {
		case errors.Is(cause, errOutOfMemory):
			ce = memoryError(inst.limits)
		case cause != nil && !errors.Is(cause, errTimedOut):
			return fmt.Errorf("js: transformation stopped: %w", cause)
		default:
			ce = codeError(kindTimeout, "handler did not finish within %v", inst.limits.Timeout)
		}
		ce.Line, ce.Column = userPosition(interrupted.Stack())
		return ce
	}
	var overflow *goja.StackOverflowError
	if errors.As(err, &overflow) {
		ce := codeError(kindLimit, "maximum call stack size exceeded: more than %d nested calls", inst.limits.MaxStackDepth)
		ce.Line, ce.Column = userPosition(overflow.Stack())
		return ce
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		ce := codeError(kindRuntime, "%s", inst.describeThrown(ex.Value()))
		ce.Line, ce.Column = userPosition(ex.Stack())
		return ce
	}
	return codeError(kindRuntime, "%v", err)
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
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &interrupted) || errors.As(err, &overflow)
}

// describeThrown renders a thrown value the way a browser names an
// uncaught exception: "TypeError: x is not a function" for errors, the
// text for a thrown string, the console rendering for anything else.
func (inst *instance) describeThrown(v goja.Value) string {
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

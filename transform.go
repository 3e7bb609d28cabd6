package hookbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TransformInput is what a transformation's handler receives as its webhook
// object.
type TransformInput struct {
	EventType string
	Payload   json.RawMessage
	URL       string
	Method    string
}

// TransformOutput is the webhook object the handler returned.
type TransformOutput struct {
	URL    string
	Method string
	// Headers are those the handler set; they are merged over the
	// endpoint's headers.
	Headers map[string]string
	Payload json.RawMessage
	// Cancel is true when the handler asked to skip this delivery.
	Cancel bool
	// Changed is false when the handler returned the webhook as it came:
	// same URL, method and payload, no headers. On an integration endpoint
	// such an event is skipped, not posted raw to the tool's API.
	Changed bool
	// Console holds what the handler logged with console.log and friends.
	Console  []string
	Duration time.Duration
}

// Transformer runs transformation code. Package js implements it.
type Transformer interface {
	// Check compiles code and makes sure it defines handler; a *CodeError
	// says what and where otherwise.
	Check(code string) error
	// Transform runs the handler of code on in. key names the code version
	// (see Endpoint.CodeKey, ScratchKey) so compiled programs and runtimes
	// are reused; an empty key compiles afresh. Failures of the code are *CodeError; a
	// cancelled ctx is a plain error, and a payload the sandbox cannot
	// decode wraps ErrUndecodablePayload.
	Transform(ctx context.Context, key, code string, in TransformInput) (*TransformOutput, error)
}

// ScratchKey returns the code key of the code an app tries out, which is
// no endpoint's saved version: its test runs'. A key holds one code
// version at a time, and runtimes are reused only between runs of that
// same code under the same key, so never from one app's runs to
// another's. A Transformer limits the runs of scratch code that it cannot
// stop as it limits those of code without a key, together with them.
func ScratchKey(app string) string { return scratchKeyPrefix + app }

// IsScratchKey reports whether key is one of ScratchKey's.
func IsScratchKey(key string) bool { return strings.HasPrefix(key, scratchKeyPrefix) }

const scratchKeyPrefix = "scratch:"

// ErrUndecodablePayload means a transformation could not be given its
// message's payload (not JSON, or nested deeper than the sandbox takes):
// no retry of the same message can succeed.
var ErrUndecodablePayload = errors.New("the payload cannot be decoded for the transformation")

// CodeError is a failure of transformation code: it does not compile, it
// throws, it runs too long or too big, or it returns something unusable.
type CodeError struct {
	// Kind is one of "syntax", "runtime", "timeout", "limit", "memory",
	// "result", "crash". Timeouts and memory stops may come from the
	// machine's load or from another run's allocation, so deliveries retry
	// them. A crash is a fault of the JavaScript runtime that the code
	// provoked, recovered; deliveries retry it once.
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Line and Column locate the error in the code (1-based), 0 if unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Console holds what the handler logged before it failed.
	Console []string `json:"console,omitempty"`
}

func (e *CodeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("transformation %s error at line %d: %s", e.Kind, e.Line, e.Message)
	}
	return fmt.Sprintf("transformation %s error: %s", e.Kind, e.Message)
}

// overrunNoticeKey is the context key of WithOverrunNotice.
type overrunNoticeKey struct{}

// WithOverrunNotice returns a copy of ctx that carries notice. A
// Transformer that runs code on its caller's goroutine calls notice, at
// most once, when a call made with the context has passed its time limit
// and cannot be stopped — the code is inside a built-in that no interrupt
// reaches — so that the call will return, with its timeout error, only
// when that built-in ends. A caller that counts itself busy while the call
// runs (a delivery worker) can stop counting then. notice must not block.
func WithOverrunNotice(ctx context.Context, notice func()) context.Context {
	return context.WithValue(ctx, overrunNoticeKey{}, notice)
}

// OverrunNotice returns the function WithOverrunNotice put in ctx, or nil.
func OverrunNotice(ctx context.Context) func() {
	notice, _ := ctx.Value(overrunNoticeKey{}).(func())
	return notice
}

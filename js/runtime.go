package js

import (
	_ "embed"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

//go:embed harden.js
var hardenSource string

// Programs shared by every runtime; a compiled Program is safe for
// concurrent use.
var (
	hardenProgram = goja.MustCompile("hookbridge-harden.js", hardenSource, true)
	// lookupProgram finds handler whether it was declared with function,
	// var, let or const.
	lookupProgram = goja.MustCompile("hookbridge-lookup.js",
		`typeof handler === "undefined" ? undefined : handler`, false)
)

// instance is one goja runtime with the user's code loaded: the unit that
// is pooled per code key. It must only be used by one goroutine at a time.
type instance struct {
	vm      *goja.Runtime
	limits  *Options
	handler goja.Callable
	console *console

	// stop holds why the current run was interrupted, once it has been;
	// Go code that loops (the JSON serializer, reading the result) looks
	// at it.
	stop atomic.Pointer[error]

	// broken is set after an interruption, a stack overflow or a crash:
	// such an instance is not pooled again.
	broken bool

	// lazyPayload is whether the loaded code gets the payload as lazy
	// objects (see json_lazy.go).
	lazyPayload bool

	harden         goja.Callable
	rangeErrorCtor goja.Value
	originalParse  goja.Callable
	// The original Object.getOwnPropertyDescriptor and getPrototypeOf,
	// for the guards in bounds.go.
	describeProperty goja.Callable
	prototypeOfValue goja.Callable
	// arrayFrom is the bounded Array.from.
	arrayFrom goja.Callable
	// typedArrayLength is the original getter of the typed arrays' length.
	typedArrayLength *goja.Object
}

// newInstance makes a runtime with the globals installed, ready for load.
func newInstance(limits *Options) (*instance, error) {
	vm := goja.New()
	// Source maps are off: a //# sourceMappingURL comment would otherwise
	// make eval or new Function read a file.
	vm.SetParserOptions(parser.WithDisableSourceMaps)
	vm.SetMaxCallStackSize(limits.MaxStackDepth)
	inst := &instance{vm: vm, limits: limits}
	inst.console = newConsole(inst, limits.MaxConsoleLines)
	if err := inst.installGlobals(); err != nil {
		return nil, fmt.Errorf("js: set up runtime: %w", err)
	}
	hardenValue, err := vm.RunProgram(hardenProgram)
	if err != nil {
		return nil, fmt.Errorf("js: set up runtime: %w", err)
	}
	harden, ok := goja.AssertFunction(hardenValue)
	if !ok {
		return nil, errors.New("js: set up runtime: harden is not a function")
	}
	inst.harden = harden
	return inst, nil
}

// load runs the user's top-level code, freezes the built-ins and finds
// handler. Errors are *hookbridge.CodeError, or see runError.
func (inst *instance) load(prog *goja.Program) error {
	vm := inst.vm
	if _, err := vm.RunProgram(prog); err != nil {
		inst.noteFailure(err)
		return runError(inst, err)
	}
	if _, err := inst.harden(goja.Undefined()); err != nil {
		inst.noteFailure(err)
		return runError(inst, err)
	}
	handler, err := vm.RunProgram(lookupProgram)
	if err != nil {
		inst.noteFailure(err)
		return runError(inst, err)
	}
	if goja.IsUndefined(handler) {
		return codeError(kindSyntax, "the code does not define a handler: write function handler(webhook) { …; return webhook }")
	}
	fn, ok := goja.AssertFunction(handler)
	if !ok {
		return codeError(kindSyntax, "handler must be a function, but it is %s", typeOf(handler))
	}
	inst.handler = fn
	return nil
}

// noteFailure marks the instance as unfit for reuse after an error that
// JavaScript cannot catch (an interruption, a stack overflow) or a crash.
func (inst *instance) noteFailure(err error) {
	if isUncatchable(err) || isCrash(err) {
		inst.broken = true
	}
}

// installGlobals adds console and hb, replaces JSON.stringify and
// JSON.parse with guarded versions, bounds the string-building built-ins,
// and removes goja's non-standard GoError.
func (inst *instance) installGlobals() error {
	vm := inst.vm
	inst.rangeErrorCtor = vm.Get("RangeError")
	if err := vm.GlobalObject().Delete("GoError"); err != nil {
		return err
	}
	if err := vm.Set("console", inst.console.object()); err != nil {
		return err
	}
	if err := vm.Set("hb", newHelpers(inst)); err != nil {
		return err
	}
	if err := inst.installJSON(); err != nil {
		return err
	}
	if err := inst.installStringGuards(); err != nil {
		return err
	}
	return inst.installBounds()
}

// installJSON replaces JSON.stringify with jsonWriter (exact, but bounded
// in depth and size) and puts a depth check in front of JSON.parse.
func (inst *instance) installJSON() error {
	vm := inst.vm
	jsonObj := vm.Get("JSON").(*goja.Object)
	parse, ok := goja.AssertFunction(jsonObj.Get("parse"))
	if !ok {
		return fmt.Errorf("JSON.parse is missing")
	}
	inst.originalParse = parse
	if err := jsonObj.Set("stringify", inst.nativeFunc("stringify", 3, inst.jsStringify)); err != nil {
		return err
	}
	return jsonObj.Set("parse", inst.nativeFunc("parse", 2, inst.jsParse))
}

// jsStringify is JSON.stringify(value, replacer, space).
func (inst *instance) jsStringify(call goja.FunctionCall) goja.Value {
	w := inst.newJSONWriter(inst.limits.MaxOutput)
	w.setReplacer(call.Argument(1))
	w.setGap(call.Argument(2))
	if !w.serialize(call.Argument(0)) {
		return goja.Undefined()
	}
	return inst.vm.ToValue(string(w.out))
}

// jsParse is JSON.parse(text, reviver), refusing text nested deeper than
// maxJSONDepth before goja's recursive parser sees it.
func (inst *instance) jsParse(call goja.FunctionCall) goja.Value {
	text := call.Argument(0).ToString()
	if _, deeper := jsonbody.DeeperThan(text.String(), maxJSONDepth); deeper {
		panic(inst.rangeError("JSON.parse: text is nested deeper than %d levels", maxJSONDepth))
	}
	return mustCall(inst.originalParse, call.This, text, call.Argument(1))
}

func (inst *instance) newJSONWriter(limit int) *jsonWriter {
	return &jsonWriter{inst: inst, limit: limit}
}

// nativeFunc wraps fn as a JavaScript function with the given name and
// length, as built-in functions have.
func (inst *instance) nativeFunc(name string, length int, fn func(goja.FunctionCall) goja.Value) *goja.Object {
	f := inst.vm.ToValue(fn).(*goja.Object)
	_ = f.DefineDataProperty("name", inst.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = f.DefineDataProperty("length", inst.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return f
}

// rangeError makes a RangeError to throw (with panic) from Go code.
func (inst *instance) rangeError(format string, args ...any) *goja.Object {
	obj, err := inst.vm.New(inst.rangeErrorCtor, inst.vm.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	return obj
}

func (inst *instance) stopped() bool {
	return inst.stop.Load() != nil
}

// stopReason is why the run was interrupted, or nil.
func (inst *instance) stopReason() error {
	if reason := inst.stop.Load(); reason != nil {
		return *reason
	}
	return nil
}

// interrupt stops whatever the runtime is running; see watchedRun.
func (inst *instance) interrupt(reason error) {
	inst.stop.Store(&reason)
	inst.vm.Interrupt(reason)
}

// typeOf names a value's type as JavaScript's typeof does, with null and
// arrays told apart, for error messages.
func typeOf(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	case goja.IsString(v):
		return "a string"
	case goja.IsNumber(v):
		return "a number"
	case goja.IsBigInt(v):
		return "a bigint"
	}
	if obj, ok := v.(*goja.Object); ok {
		if isRevokedProxy(obj) {
			return "a revoked proxy"
		}
		if _, callable := goja.AssertFunction(obj); callable {
			return "a function"
		}
		if isArray(obj) {
			return "an array"
		}
		return "an object"
	}
	if _, ok := v.Export().(bool); ok {
		return "a boolean"
	}
	return "a symbol"
}

// isRevokedProxy reports whether obj is a revoked Proxy, which throws a
// TypeError when asked anything, its class name included.
func isRevokedProxy(obj *goja.Object) bool {
	if obj.ExportType() != proxyType {
		return false
	}
	proxy, ok := obj.Export().(goja.Proxy)
	return ok && proxy.Target() == nil
}

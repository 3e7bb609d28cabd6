package js

import (
	"reflect"

	"github.com/dop251/goja"

	"github.com/hookbridge/hookbridge"
)

var promiseType = reflect.TypeFor[*goja.Promise]()

// call runs the handler once on a fresh webhook object built from in and
// reads what it returned. Reading the result counts toward the run's
// limits: if they are passed meanwhile, the run fails as if the handler
// had not returned.
func (inst *instance) call(in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	w, err := inst.newWebhook(in)
	if err != nil {
		return nil, err
	}
	result, err := inst.handler(goja.Undefined(), w.obj)
	if err != nil {
		inst.noteFailure(err)
		return nil, runError(inst, err)
	}
	var out *hookbridge.TransformOutput
	var cerr *hookbridge.CodeError
	err = inst.guarded(func() {
		if result, cerr = inst.settle(result); cerr == nil {
			out, cerr = inst.readResult(w, result)
		}
	})
	switch {
	case err != nil:
		inst.noteFailure(err)
		return nil, runError(inst, err)
	case inst.stopped():
		// Interrupted while Go code read the result, where no interrupt
		// reaches: the limit passed all the same.
		return nil, inst.stoppedError(inst.stopReason(), "its result took too long to read")
	case cerr != nil:
		return nil, cerr
	}
	return out, nil
}

// settle unwraps the promise an async handler returns. With no timers or
// I/O in the sandbox, the promise has settled by the time the call
// returns, unless it waits for something that never comes. It runs
// JavaScript, so it must be called inside instance.guarded.
func (inst *instance) settle(result goja.Value) (goja.Value, *hookbridge.CodeError) {
	obj, ok := result.(*goja.Object)
	if !ok || obj.ExportType() != promiseType {
		return result, nil
	}
	promise, ok := obj.Export().(*goja.Promise)
	if !ok {
		return result, nil
	}
	switch promise.State() {
	case goja.PromiseStateFulfilled:
		return promise.Result(), nil
	case goja.PromiseStateRejected:
		text, err := inst.describeThrown(promise.Result())
		if err != nil {
			panic(err) // on to the enclosing guarded
		}
		return nil, codeError(kindRuntime, "%s", text)
	}
	return nil, resultError("handler returned a promise that never settled (there are no timers or network in the sandbox)")
}

// guarded runs f, which calls into JavaScript from Go, and returns what it
// threw: an exception; an interruption or a stack overflow, which
// JavaScript cannot catch; or, for any other panic, a crash error. Nothing
// f panics with gets past it. Every read of a JavaScript value from Go
// (outside a function that JavaScript called) goes through guarded, so
// that user code run by the read (getters, Proxy traps, toJSON, valueOf)
// stays within the run's limits.
func (inst *instance) guarded(f func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	if ex := inst.vm.Try(f); ex != nil {
		return ex
	}
	return nil
}

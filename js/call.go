package js

import (
	"reflect"

	"github.com/dop251/goja"

	"github.com/hookbridge/hookbridge"
)

var promiseType = reflect.TypeFor[*goja.Promise]()

// call runs the handler once on a fresh webhook object built from in and
// reads what it returned.
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
	case cerr != nil:
		return nil, cerr
	}
	return out, nil
}

// settle unwraps the promise an async handler returns. With no timers or
// I/O in the sandbox, the promise has settled by the time the call
// returns, unless it waits for something that never comes.
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
		return nil, codeError(kindRuntime, "%s", inst.describeThrown(promise.Result()))
	}
	return nil, resultError("handler returned a promise that never settled (there are no timers or network in the sandbox)")
}

// guarded runs f, which may call into JavaScript from Go, and returns what
// it threw: an exception, or an interruption or stack overflow that
// JavaScript cannot catch.
func (inst *instance) guarded(f func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			if e, ok := x.(error); ok && isUncatchable(e) {
				err = e
				return
			}
			panic(x)
		}
	}()
	if ex := inst.vm.Try(f); ex != nil {
		return ex
	}
	return nil
}

package js

import (
	"fmt"
	"math"

	"github.com/dop251/goja"
)

// maxStringLength bounds, in UTF-16 code units, the strings that
// String.prototype.repeat, padStart, padEnd and Array.prototype.join may
// build. Those built-ins run in Go, where neither the time limit nor any
// memory limit reaches them, so "x".repeat(2 ** 30) would otherwise
// allocate gigabytes before the handler could be stopped. Browsers stop at
// about 2^29 with the same RangeError.
const maxStringLength = 1 << 24

// installStringGuards puts a length check in front of the built-ins that
// build a long string from a short one.
func (inst *instance) installStringGuards() error {
	stringProto, err := inst.prototypeOf("String")
	if err != nil {
		return err
	}
	arrayProto, err := inst.prototypeOf("Array")
	if err != nil {
		return err
	}
	guards := []struct {
		proto  *goja.Object
		name   string
		length int
		guard  func(orig goja.Callable) func(goja.FunctionCall) goja.Value
	}{
		{stringProto, "repeat", 1, inst.guardRepeat},
		{stringProto, "padStart", 1, inst.guardPad},
		{stringProto, "padEnd", 1, inst.guardPad},
		{arrayProto, "join", 1, inst.guardJoin},
	}
	for _, g := range guards {
		orig, ok := goja.AssertFunction(g.proto.Get(g.name))
		if !ok {
			return fmt.Errorf("%s is not a function", g.name)
		}
		fn := inst.nativeFunc(g.name, g.length, g.guard(orig))
		if err := g.proto.DefineDataProperty(g.name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

func (inst *instance) prototypeOf(ctor string) (*goja.Object, error) {
	c, ok := inst.vm.Get(ctor).(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("%s is missing", ctor)
	}
	proto, ok := c.Get("prototype").(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("%s.prototype is missing", ctor)
	}
	return proto, nil
}

func (inst *instance) invalidStringLength() *goja.Object {
	return inst.rangeError("Invalid string length")
}

// guardRepeat checks String.prototype.repeat(count). Arguments are
// converted once, here, and handed on as primitives so that user-defined
// conversions do not run twice.
func (inst *instance) guardRepeat(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if isNullish(call.This) {
			return mustCall(orig, call.This, call.Arguments...)
		}
		s := call.This.ToString()
		count := call.Argument(0).ToNumber()
		n := math.Trunc(count.ToFloat())
		if n > 0 && !math.IsInf(n, 1) && float64(s.(goja.String).Length())*n > maxStringLength {
			panic(inst.invalidStringLength())
		}
		return mustCall(orig, s, count)
	}
}

// guardPad checks String.prototype.padStart and padEnd(maxLength, fill).
func (inst *instance) guardPad(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if isNullish(call.This) {
			return mustCall(orig, call.This, call.Arguments...)
		}
		s := call.This.ToString()
		maxLength := call.Argument(0).ToNumber()
		if maxLength.ToFloat() <= float64(s.(goja.String).Length()) {
			return s
		}
		fill := call.Argument(1)
		if !goja.IsUndefined(fill) {
			fill = fill.ToString()
			if fill.(goja.String).Length() == 0 {
				return s
			}
		}
		if maxLength.ToFloat() > maxStringLength {
			panic(inst.invalidStringLength())
		}
		return mustCall(orig, s, maxLength, fill)
	}
}

// guardJoin checks Array.prototype.join(separator): an array of n items
// joins into at least (n-1) separators, and visiting n items takes time
// that cannot be interrupted.
func (inst *instance) guardJoin(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if isNullish(call.This) {
			return mustCall(orig, call.This, call.Arguments...)
		}
		obj := call.This.ToObject(inst.vm)
		length := lengthOf(obj)
		separator := call.Argument(0)
		sepLength := int64(1)
		if !goja.IsUndefined(separator) {
			separator = separator.ToString()
			sepLength = int64(separator.(goja.String).Length())
		}
		if length > maxStringLength || (length-1)*sepLength > maxStringLength {
			panic(inst.invalidStringLength())
		}
		return mustCall(orig, obj, separator)
	}
}

func isNullish(v goja.Value) bool {
	return v == nil || goja.IsUndefined(v) || goja.IsNull(v)
}

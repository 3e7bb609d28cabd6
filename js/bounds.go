package js

import (
	"cmp"
	"fmt"
	"reflect"
	"strconv"

	"github.com/dop251/goja"
)

// Bounds on built-ins that loop or allocate in Go. vm.Interrupt stops
// JavaScript, not Go: a built-in such as Array.prototype.fill on an array
// whose length was set to 2^31, or new Float64Array(2^28), runs to the end
// (or until the process runs out of memory) however soon the run is
// interrupted. So, as for the string-building built-ins in guards.go, a
// check runs before them: arrays, typed arrays and argument lists larger
// than a JavaScript transformation of one webhook could need are refused
// with a RangeError, as engines refuse what they cannot allocate.

// arrayGuarded are the methods of Array.prototype that visit, copy or
// allocate one turn per element in Go, and are refused on arrays longer
// than maxArrayLength. join has its own guard (guards.go); push, pop and
// at touch one element.
var arrayGuarded = []string{
	"concat", "copyWithin", "entries", "every", "fill", "filter", "find", "findIndex",
	"findLast", "findLastIndex", "flat", "flatMap", "forEach", "includes", "indexOf",
	"keys", "lastIndexOf", "map", "reduce", "reduceRight", "reverse", "shift", "slice",
	"some", "sort", "splice", "toLocaleString", "toReversed", "toSorted", "toSpliced",
	"unshift", "values", "with",
}

// maxApplyArguments bounds the argument lists built from an array by
// Function.prototype.apply, Reflect.apply and Reflect.construct.
const maxApplyArguments = 1 << 17

// maxArrayLength is the longest array (and the most bytes of a typed
// array) a built-in may work on: about MaxMemory worth of 16-byte turns.
func (inst *instance) maxArrayLength() int64 {
	if inst.limits.MaxMemory <= 0 {
		return 1<<53 - 1
	}
	return max(inst.limits.MaxMemory/16, 1<<16)
}

// installBounds puts the length checks in front of the built-ins above,
// and caps ArrayBuffer and the typed arrays.
func (inst *instance) installBounds() error {
	object, ok := inst.vm.Get("Object").(*goja.Object)
	if !ok {
		return fmt.Errorf("Object is missing")
	}
	describe, ok1 := goja.AssertFunction(object.Get("getOwnPropertyDescriptor"))
	protoOf, ok2 := goja.AssertFunction(object.Get("getPrototypeOf"))
	if !ok1 || !ok2 {
		return fmt.Errorf("Object.getOwnPropertyDescriptor or getPrototypeOf is missing")
	}
	inst.describeProperty, inst.prototypeOfValue = describe, protoOf
	inst.typedArrayLength = inst.originalTypedArrayLength()
	if err := inst.guardArrayMethods(); err != nil {
		return err
	}
	if err := inst.guardArrayFrom(); err != nil {
		return err
	}
	array, _ := inst.vm.Get("Array").(*goja.Object)
	inst.arrayFrom, _ = goja.AssertFunction(array.Get("from"))
	if err := inst.guardApply(); err != nil {
		return err
	}
	if err := inst.guardStringSplitting(); err != nil {
		return err
	}
	return inst.capBinaryConstructors()
}

// Export types of binary data: ArrayBuffer, and the typed arrays.
var (
	arrayBufferType = reflect.TypeFor[goja.ArrayBuffer]()
	typedArrayTypes = map[reflect.Type]bool{
		reflect.TypeFor[[]byte](): true, reflect.TypeFor[[]int8](): true,
		reflect.TypeFor[[]uint16](): true, reflect.TypeFor[[]int16](): true,
		reflect.TypeFor[[]uint32](): true, reflect.TypeFor[[]int32](): true,
		reflect.TypeFor[[]float32](): true, reflect.TypeFor[[]float64](): true,
		reflect.TypeFor[[]uint64](): true, reflect.TypeFor[[]int64](): true,
	}
)

// binaryConstructors allocate their whole size in Go at once, out of reach
// of any interrupt.
var binaryConstructors = []string{
	"ArrayBuffer", "Uint8Array", "Uint8ClampedArray", "Int8Array", "Uint16Array",
	"Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array",
	"BigInt64Array", "BigUint64Array",
}

// capBinaryConstructors replaces ArrayBuffer and the typed arrays by
// constructors that check the size first (checkBinaryArgs), and points the
// prototypes' constructor properties at them, so that the originals are
// reachable neither through an instance (new x.constructor(n)) nor through
// species (x.slice(), x.map(…)). The replacements keep the prototypes, so
// instanceof, subclassing and the static methods work as with the originals.
func (inst *instance) capBinaryConstructors() error {
	for _, name := range binaryConstructors {
		orig, ok := inst.vm.Get(name).(*goja.Object)
		if !ok {
			continue
		}
		capped, err := inst.cappedConstructor(name, orig)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := inst.vm.Set(name, capped); err != nil {
			return err
		}
	}
	return nil
}

func (inst *instance) cappedConstructor(name string, orig *goja.Object) (*goja.Object, error) {
	construct, ok := goja.AssertConstructor(orig)
	if !ok {
		return nil, fmt.Errorf("not a constructor")
	}
	bytesPer := int64(1)
	if v := orig.Get("BYTES_PER_ELEMENT"); v != nil && !goja.IsUndefined(v) {
		bytesPer = v.ToInteger()
	}
	var capped *goja.Object
	capped = inst.vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		// goja gives no new.target to `new X()` itself (only to a subclass's
		// super()), and cannot tell a call without new from one with it:
		// both construct.
		newTarget := cmp.Or(call.NewTarget, capped)
		obj, err := construct(newTarget, inst.checkBinaryArgs(name, bytesPer, call.Arguments)...)
		if err != nil {
			panic(err)
		}
		return obj
	}).(*goja.Object)
	proto, _ := orig.Get("prototype").(*goja.Object)
	if proto == nil {
		return nil, fmt.Errorf("no prototype")
	}
	if err := capped.SetPrototype(orig.Prototype()); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		key   string
		value goja.Value
	}{{"name", inst.vm.ToValue(name)}, {"length", orig.Get("length")}, {"prototype", proto}} {
		if err := capped.DefineDataProperty(p.key, p.value, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}
	if err := inst.copyStatics(orig, capped); err != nil {
		return nil, err
	}
	return capped, proto.DefineDataProperty("constructor", capped, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// copyStatics gives capped the own properties of orig besides name,
// length and prototype (BYTES_PER_ELEMENT, ArrayBuffer.isView), and
// Symbol.species, as a getter that returns this.
func (inst *instance) copyStatics(orig, capped *goja.Object) error {
	for _, key := range orig.GetOwnPropertyNames() {
		switch key {
		case "name", "length", "prototype":
			continue
		}
		if err := capped.DefineDataProperty(key, orig.Get(key), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if goja.IsUndefined(orig.GetSymbol(goja.SymSpecies)) || orig.GetSymbol(goja.SymSpecies) == nil {
		return nil
	}
	species := inst.vm.ToValue(func(call goja.FunctionCall) goja.Value { return call.This })
	return capped.DefineAccessorPropertySymbol(goja.SymSpecies, species, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// checkBinaryArgs refuses, with a RangeError, arguments that ask an
// ArrayBuffer or typed array constructor for more than maxArrayLength
// bytes, and returns the arguments to construct with: the size it checked
// as a number; an existing buffer (a view allocates nothing) or typed array
// (checked when it was made) as it was; any other source copied into an
// array by the bounded Array.from, so that a getter cannot tell the check
// one size and the constructor another.
func (inst *instance) checkBinaryArgs(name string, bytesPer int64, args []goja.Value) []goja.Value {
	args = append([]goja.Value(nil), args...)
	if len(args) == 0 {
		return args
	}
	var elements int64
	obj, isObject := args[0].(*goja.Object)
	switch {
	case name == "ArrayBuffer" || !isObject:
		elements = toIndex(args[0])
		args[0] = inst.vm.ToValue(elements)
	case obj.ExportType() == arrayBufferType:
		return args
	case typedArrayTypes[obj.ExportType()]:
		elements = int64(reflect.ValueOf(obj.Export()).Len())
	default:
		copied := mustCall(inst.arrayFrom, goja.Undefined(), obj).(*goja.Object)
		elements = arrayLength(copied)
		args = []goja.Value{copied}
	}
	if limit := inst.maxArrayLength(); elements > limit/bytesPer {
		kind := "typed array"
		if name == "ArrayBuffer" {
			kind = "array buffer"
		}
		panic(inst.rangeError("Invalid %s length: the sandbox allows at most %d bytes", kind, limit))
	}
	return args
}

// toIndex converts a size argument the way the constructors do, except
// that what they would refuse (negative, too large) is kept for them to
// refuse.
func toIndex(v goja.Value) int64 {
	if goja.IsUndefined(v) {
		return 0
	}
	return v.ToNumber().ToInteger()
}

// originalTypedArrayLength returns the getter of %TypedArray%.prototype.length.
func (inst *instance) originalTypedArrayLength() *goja.Object {
	int8, _ := inst.vm.Get("Int8Array").(*goja.Object)
	if int8 == nil {
		return nil
	}
	proto, _ := int8.Get("prototype").(*goja.Object)
	if proto == nil || proto.Prototype() == nil {
		return nil
	}
	desc, _ := mustCall(inst.describeProperty, goja.Undefined(), proto.Prototype(), inst.vm.ToValue("length")).(*goja.Object)
	if desc == nil {
		return nil
	}
	getter, _ := desc.Get("get").(*goja.Object)
	return getter
}

func (inst *instance) tooLong(what string) *goja.Object {
	return inst.rangeError("%s: the sandbox allows at most %d elements", what, inst.maxArrayLength())
}

// arrayLength is LengthOfArrayLike: ToLength(obj.length), 0 when obj has
// no length (goja's dynamic objects answer nil, not undefined, for a
// property they lack).
func arrayLength(obj *goja.Object) int64 {
	if obj.Get("length") == nil {
		return 0
	}
	return lengthOf(obj)
}

// lengthOfArrayLike is arrayLength for the guards. A length that is computed
// (a getter, a Proxy) could say one thing to the guard and another to the
// built-in after it, so an object whose length is not a plain value is
// refused with a TypeError.
func (inst *instance) lengthOfArrayLike(obj *goja.Object, what string) int64 {
	switch obj.ClassName() {
	case "Array", "String":
		return arrayLength(obj)
	}
	if obj.ExportType() == proxyType || inst.lengthIsComputed(obj) {
		panic(inst.vm.NewTypeError("%s: the sandbox does not allow this on an object whose length is a getter or a Proxy", what))
	}
	return arrayLength(obj)
}

// lengthIsComputed reports whether obj's length property, own or
// inherited, is an accessor (or lies on a Proxy in the prototype chain).
// The one accessor allowed is the typed arrays' own, which reads their
// fixed length.
func (inst *instance) lengthIsComputed(obj *goja.Object) bool {
	for depth := 0; obj != nil && depth < 100; depth++ {
		if obj.ExportType() == proxyType {
			return true
		}
		desc := mustCall(inst.describeProperty, goja.Undefined(), obj, inst.vm.ToValue("length"))
		if d, ok := desc.(*goja.Object); ok {
			getter, _ := d.Get("get").(*goja.Object)
			if getter != nil && inst.typedArrayLength != nil && getter.SameAs(inst.typedArrayLength) {
				return false
			}
			return d.Get("get") != nil && !goja.IsUndefined(d.Get("get")) ||
				d.Get("set") != nil && !goja.IsUndefined(d.Get("set"))
		}
		proto, _ := mustCall(inst.prototypeOfValue, goja.Undefined(), obj).(*goja.Object)
		obj = proto
	}
	return obj != nil
}

// guardArrayMethods wraps the methods of arrayGuarded. values is also
// Array.prototype[Symbol.iterator], through which spreading ([...a],
// f(...a)), for-of, new Set(a) and the like iterate; the wrapper takes both
// places, as the specification wants one function there.
func (inst *instance) guardArrayMethods() error {
	proto, err := inst.prototypeOf("Array")
	if err != nil {
		return err
	}
	for _, name := range arrayGuarded {
		orig, ok := goja.AssertFunction(proto.Get(name))
		if !ok {
			continue // a method this goja version lacks
		}
		length := int(proto.Get(name).(*goja.Object).Get("length").ToInteger())
		fn := inst.nativeFunc(name, length, inst.arrayLengthGuard(name, orig))
		if err := proto.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
		if name == "values" {
			if err := proto.DefineDataPropertySymbol(goja.SymIterator, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}

// arrayLengthGuard checks the length of this (and, for concat, of what is
// appended; for flat, of what is flattened) before calling orig.
func (inst *instance) arrayLengthGuard(name string, orig goja.Callable) func(goja.FunctionCall) goja.Value {
	limit := inst.maxArrayLength()
	return func(call goja.FunctionCall) goja.Value {
		if isNullish(call.This) {
			return mustCall(orig, call.This, call.Arguments...)
		}
		what := "Array.prototype." + name
		obj := call.This.ToObject(inst.vm)
		total := inst.lengthOfArrayLike(obj, what)
		switch name {
		case "concat":
			for _, arg := range call.Arguments {
				total += inst.concatLength(arg, what)
			}
		case "flat":
			depth := int64(1)
			if d := call.Argument(0); !goja.IsUndefined(d) {
				depth = d.ToInteger()
			}
			total = inst.flatLength(obj, depth, limit, what)
		}
		if total > limit {
			panic(inst.tooLong(what))
		}
		return mustCall(orig, obj, call.Arguments...)
	}
}

// concatLength is how many elements an argument of concat adds.
func (inst *instance) concatLength(v goja.Value, what string) int64 {
	if obj, ok := v.(*goja.Object); ok && isArray(obj) {
		return inst.lengthOfArrayLike(obj, what)
	}
	return 1
}

// flatLength counts the elements flat(depth) would produce, stopping as
// soon as the count passes limit.
func (inst *instance) flatLength(obj *goja.Object, depth, limit int64, what string) int64 {
	n := inst.lengthOfArrayLike(obj, what)
	if depth < 1 || n > limit {
		return n
	}
	var total int64
	for i := int64(0); i < n && total <= limit; i++ {
		v := obj.Get(strconv.FormatInt(i, 10))
		if inner, ok := v.(*goja.Object); ok && isArray(inner) {
			total += inst.flatLength(inner, depth-1, limit-total, what)
		} else {
			total++
		}
	}
	return total
}

// guardArrayFrom checks Array.from's argument: an array-like with a length
// (an array, a string, {length: n}).
func (inst *instance) guardArrayFrom() error {
	array, ok := inst.vm.Get("Array").(*goja.Object)
	if !ok {
		return fmt.Errorf("Array is missing")
	}
	orig, ok := goja.AssertFunction(array.Get("from"))
	if !ok {
		return fmt.Errorf("Array.from is missing")
	}
	limit := inst.maxArrayLength()
	fn := inst.nativeFunc("from", 1, func(call goja.FunctionCall) goja.Value {
		if obj, ok := call.Argument(0).(*goja.Object); ok && inst.lengthOfArrayLike(obj, "Array.from") > limit {
			panic(inst.tooLong("Array.from"))
		}
		if s, ok := call.Argument(0).(goja.String); ok && int64(s.Length()) > limit {
			panic(inst.tooLong("Array.from"))
		}
		return mustCall(orig, call.This, call.Arguments...)
	})
	return array.DefineDataProperty("from", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// guardApply bounds the argument lists that apply, Reflect.apply and
// Reflect.construct build from an array-like.
func (inst *instance) guardApply() error {
	funcProto, err := inst.prototypeOf("Function")
	if err != nil {
		return err
	}
	reflect, ok := inst.vm.Get("Reflect").(*goja.Object)
	if !ok {
		return fmt.Errorf("Reflect is missing")
	}
	guards := []struct {
		obj    *goja.Object
		name   string
		length int
		argsAt int
	}{
		{funcProto, "apply", 2, 1},
		{reflect, "apply", 3, 2},
		{reflect, "construct", 2, 1},
	}
	for _, g := range guards {
		orig, ok := goja.AssertFunction(g.obj.Get(g.name))
		if !ok {
			return fmt.Errorf("%s is not a function", g.name)
		}
		fn := inst.nativeFunc(g.name, g.length, inst.argumentsGuard(orig, g.argsAt))
		if err := g.obj.DefineDataProperty(g.name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

func (inst *instance) argumentsGuard(orig goja.Callable, argsAt int) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if list, ok := call.Argument(argsAt).(*goja.Object); ok && inst.lengthOfArrayLike(list, "apply") > maxApplyArguments {
			panic(inst.rangeError("Maximum call stack size exceeded: more than %d arguments", maxApplyArguments))
		}
		return mustCall(orig, call.This, call.Arguments...)
	}
}

// guardStringSplitting bounds the built-ins that turn a string into one
// value per character: split and the string iterator (spreading a string).
func (inst *instance) guardStringSplitting() error {
	proto, err := inst.prototypeOf("String")
	if err != nil {
		return err
	}
	limit := inst.maxArrayLength()
	wrap := func(what string, orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			if s, ok := call.This.(goja.String); ok && int64(s.Length()) > limit {
				panic(inst.tooLong(what))
			}
			if obj, ok := call.This.(*goja.Object); ok && obj.ClassName() == "String" && arrayLength(obj) > limit {
				panic(inst.tooLong(what))
			}
			return mustCall(orig, call.This, call.Arguments...)
		}
	}
	split, ok := goja.AssertFunction(proto.Get("split"))
	if !ok {
		return fmt.Errorf("String.prototype.split is missing")
	}
	if err := proto.DefineDataProperty("split", inst.nativeFunc("split", 2, wrap("String.prototype.split", split)),
		goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	iter, ok := goja.AssertFunction(proto.GetSymbol(goja.SymIterator))
	if !ok {
		return fmt.Errorf("String.prototype[Symbol.iterator] is missing")
	}
	return proto.DefineDataPropertySymbol(goja.SymIterator, inst.nativeFunc("[Symbol.iterator]", 0, wrap("String iterator", iter)),
		goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

package js

import (
	"reflect"
	"slices"
	"strings"

	"github.com/dop251/goja"
)

// Lazy payloads
//
// Turning a whole event into JavaScript objects costs more than a
// handler that reads a few fields of it (why: docs/benchmarks.md, “Profile
// findings and what we changed”, 1). So the payload is parsed once in
// Go (parseJSON) and passed as goja dynamic objects (lazyObject) that
// read the tape only when JavaScript looks: a value becomes a JavaScript
// value the first time it is read (and is then kept, so payload.data ===
// payload.data), and fields never read cost nothing beyond the parse.
// Arrays become ordinary arrays when read, which keeps every array method
// and quirk exact.
//
// A lazy object behaves as the object JSON.parse would make — own keys in
// the same order (integer-like keys first, a repeated key in its first
// place with its last value), "__proto__" an ordinary key, Object.prototype
// as prototype — except where goja's dynamic objects cannot follow: they
// cannot be frozen, sealed or made non-extensible, nor hold accessor,
// read-only, non-enumerable or symbol-keyed properties. Code that could
// ask for any of that gets ordinary objects instead (lazyPayloadSafe).
//
// When the output is written, an object nothing has changed is copied from
// the input bytes as they are, if they are already what JSON.stringify
// would write (jsonDoc.canonical).

var lazyObjectType = reflect.TypeFor[*lazyObject]()

// lazyPayloadUnsafe lists what code must not mention to be given lazy
// objects: the ways to freeze, seal, define accessors or symbol-keyed
// properties, reach private fields, or build code at run time that could
// do any of these out of sight. A mention anywhere (a comment included)
// only costs speed.
var lazyPayloadUnsafe = []string{
	"freeze", "seal", "preventExtensions", "defineProperty", "__define",
	"Symbol", "Reflect", "eval", "Function", "#",
}

// lazyPayloadSafe reports whether code may be given the payload as lazy
// objects.
func lazyPayloadSafe(code string) bool {
	for _, word := range lazyPayloadUnsafe {
		if strings.Contains(code, word) {
			return false
		}
	}
	return true
}

// decodePayload turns a payload into the value webhook.payload holds:
// lazy objects when lazy is true, ordinary ones otherwise.
func decodePayload(vm *goja.Runtime, data []byte, lazy bool) (goja.Value, error) {
	doc, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if !lazy {
		return doc.materialize(vm, 0)
	}
	return (&lazyView{vm: vm, doc: doc}).value(0), nil
}

// newMemberObject makes a dynamic object with the given own properties,
// for objects built in Go (the webhook) that are cheaper to make this way
// than with one Set per property. It behaves as a lazy object that has
// been changed, so it is never copied from a document.
func newMemberObject(vm *goja.Runtime, members []lazyMember) *goja.Object {
	o := &lazyObject{node: -1, opened: true, dirty: true, members: members}
	o.self = vm.NewDynamicObject(o)
	return o.self
}

// lazyView is what the lazy objects of one payload share.
type lazyView struct {
	vm  *goja.Runtime
	doc *jsonDoc
}

// value converts the node at i.
func (v *lazyView) value(i int32) goja.Value {
	switch v.doc.tape[i].kind {
	case jsonObject:
		lo := &lazyObject{view: v, node: i}
		lo.read = lo.readFirst[:0]
		lo.self = v.vm.NewDynamicObject(lo)
		return lo.self
	case jsonArray:
		return v.array(i)
	}
	return v.doc.scalar(v.vm, i)
}

// array makes an ordinary array of the node at i. (JavaScript can change
// it without the lazy objects knowing, so an object an array was read from
// is never copied from the input; see pristineValue.)
func (v *lazyView) array(i int32) goja.Value {
	n := &v.doc.tape[i]
	var items []any
	for k := i + 1; k < n.next; k = v.doc.skip(k) {
		items = append(items, v.value(k))
	}
	return v.vm.NewArray(items...)
}

// lazyObject is a JSON object of the payload, seen from JavaScript through
// goja.DynamicObject. It is used by one runtime, one goroutine at a time.
//
// It starts out reading the tape: a lookup compares the name with the
// object's keys as written, and the values read are kept in read. When it
// is changed, its keys are listed, or it has been looked up in more than
// a few times, it is opened: its members are listed in a slice (indexed
// when there are many), which from then on is the object. An object in a
// document whose keys may repeat is opened at once.
type lazyObject struct {
	view *lazyView
	node int32
	self *goja.Object

	// read holds the values read from the tape before the object was
	// opened; readFirst gives room for the first few without another
	// allocation. lookups counts the lookups on the tape.
	read      []readValue
	readFirst [4]readValue
	lookups   int

	opened  bool
	members []lazyMember
	// index finds members by name in larger objects: an open-addressing
	// table of member positions plus one (0 is empty); nil until needed.
	index []int32
	// dirty is set once this object has been changed (Set, Delete).
	// Whether what was read from it changed is asked of that
	// (stillPristine).
	dirty bool
}

// readValue is the value read from tape index node.
type readValue struct {
	node  int32
	value goja.Value
}

// lazyMember is one own property of an opened object.
type lazyMember struct {
	name string
	// node is the tape index of the value as read; value is the value
	// once converted, or set by JavaScript.
	node  int32
	value goja.Value
}

// linearLookup is how many members an object may have before lookups use
// an index. Comparing a name with a few dozen others (most differ in
// length) is cheaper than hashing every name to build one.
const linearLookup = 64

// tapeLookups is how many lookups an object answers from the tape before
// it is opened, so that a handler reading many fields of a large object
// does not scan its keys each time.
const tapeLookups = 16

var _ goja.DynamicObject = (*lazyObject)(nil)

// Get implements goja.DynamicObject.
func (o *lazyObject) Get(key string) goja.Value {
	if o.readsTape() {
		node := o.tapeLookup(key)
		if node < 0 {
			return nil
		}
		for _, r := range o.read {
			if r.node == node {
				return r.value
			}
		}
		v := o.view.value(node)
		o.read = append(o.read, readValue{node, v})
		return v
	}
	o.open()
	i := o.find(key)
	if i < 0 {
		return nil
	}
	m := &o.members[i]
	if m.value == nil && m.node >= 0 {
		m.value = o.view.value(m.node)
	}
	return m.value
}

// readsTape reports whether a lookup is to be answered from the tape, and
// counts it.
func (o *lazyObject) readsTape() bool {
	if o.opened || o.view.doc.mayRepeatKeys || o.lookups >= tapeLookups {
		return false
	}
	o.lookups++
	return true
}

// tapeLookup returns the tape index of the value under key, or -1. Keys
// are compared as written, which is right when the document has no key
// with escapes (see jsonDoc.mayRepeatKeys).
func (o *lazyObject) tapeLookup(key string) int32 {
	doc := o.view.doc
	tape := doc.tape
	end := tape[o.node].next
	for k := o.node + 1; k < end; k = tape[k+1].next {
		if n := &tape[k]; int(n.end-n.start) == len(key) && doc.text[n.start:n.end] == key {
			return k + 1
		}
	}
	return -1
}

// Has implements goja.DynamicObject.
func (o *lazyObject) Has(key string) bool {
	if o.readsTape() {
		return o.tapeLookup(key) >= 0
	}
	o.open()
	return o.find(key) >= 0
}

// Set implements goja.DynamicObject: a new key goes last, or among the
// integer-like keys in numeric order, as on any object.
func (o *lazyObject) Set(key string, val goja.Value) bool {
	o.open()
	o.dirty = true
	if i := o.find(key); i >= 0 {
		o.members[i].value = val
		return true
	}
	o.members = append(o.members, lazyMember{name: key, node: -1, value: val})
	if arrayIndex(key) >= 0 {
		o.orderKeys()
		o.index = nil
	} else if o.index != nil {
		o.indexMember(len(o.members) - 1)
	}
	return true
}

// Delete implements goja.DynamicObject.
func (o *lazyObject) Delete(key string) bool {
	o.open()
	if i := o.find(key); i >= 0 {
		o.dirty = true
		o.members = slices.Delete(o.members, i, i+1)
		o.index = nil
	}
	return true
}

// Keys implements goja.DynamicObject.
func (o *lazyObject) Keys() []string {
	o.open()
	keys := make([]string, len(o.members))
	for i := range o.members {
		keys[i] = o.members[i].name
	}
	return keys
}

// open lists the members the first time the object is touched: in document
// order, a repeated key in its first place with its last value, then
// integer-like keys moved to the front.
func (o *lazyObject) open() {
	if o.opened {
		return
	}
	o.opened = true
	doc := o.view.doc
	end := doc.tape[o.node].next
	count := 0
	for k := o.node + 1; k < end; k = doc.skip(k + 1) {
		count++
	}
	o.members = make([]lazyMember, 0, count)
	if count > linearLookup {
		o.index = make([]int32, indexSize(count))
	}
	integerKeys := false
	for k := o.node + 1; k < end; k = doc.skip(k + 1) {
		name := doc.keyName(k)
		if doc.mayRepeatKeys {
			if i := o.find(name); i >= 0 {
				o.members[i].node = k + 1
				continue
			}
		}
		o.members = append(o.members, lazyMember{name: name, node: k + 1, value: o.readBefore(k + 1)})
		if o.index != nil {
			o.indexMember(len(o.members) - 1)
		}
		integerKeys = integerKeys || arrayIndex(name) >= 0
	}
	o.read = nil
	if integerKeys {
		o.orderKeys()
		o.index = nil
	}
}

// readBefore returns the value read from tape index node before the
// object was opened, or nil.
func (o *lazyObject) readBefore(node int32) goja.Value {
	for _, r := range o.read {
		if r.node == node {
			return r.value
		}
	}
	return nil
}

// orderKeys puts integer-like keys first, in numeric order, the others
// staying in the order they came.
func (o *lazyObject) orderKeys() {
	slices.SortStableFunc(o.members, func(a, b lazyMember) int {
		ia, ib := arrayIndex(a.name), arrayIndex(b.name)
		switch {
		case ia >= 0 && ib >= 0:
			return int(ia - ib)
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return 0
	})
}

// find returns the position of the member named key, or -1.
func (o *lazyObject) find(key string) int {
	if o.index == nil && len(o.members) > linearLookup {
		o.rebuildIndex()
	}
	if o.index == nil {
		for i := range o.members {
			if o.members[i].name == key {
				return i
			}
		}
		return -1
	}
	mask := uint32(len(o.index) - 1)
	for turn := hashKey(key) & mask; ; turn = (turn + 1) & mask {
		pos := o.index[turn]
		if pos == 0 {
			return -1
		}
		if o.members[pos-1].name == key {
			return int(pos - 1)
		}
	}
}

func (o *lazyObject) rebuildIndex() {
	o.index = make([]int32, indexSize(len(o.members)))
	for i := range o.members {
		o.indexMember(i)
	}
}

// indexMember enters member i into the index, growing it when it is half
// full.
func (o *lazyObject) indexMember(i int) {
	if 2*(i+1) > len(o.index) {
		o.rebuildIndex()
		return
	}
	mask := uint32(len(o.index) - 1)
	turn := hashKey(o.members[i].name) & mask
	for o.index[turn] != 0 {
		turn = (turn + 1) & mask
	}
	o.index[turn] = int32(i + 1)
}

// indexSize is a power of two at least twice n.
func indexSize(n int) int {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return size
}

// hashKey is FNV-1a.
func hashKey(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// arrayIndex returns the array index a key stands for (a canonical
// decimal below 2^32-1), or -1.
func arrayIndex(key string) int64 {
	if key == "" || len(key) > 10 || (key[0] == '0' && len(key) > 1) {
		return -1
	}
	var n int64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	if n >= 1<<32-1 {
		return -1
	}
	return n
}

// pristineJSON returns the input bytes of obj if it is a lazy object that
// can be written by copying them: the document is canonical, nested inside
// the objects being written it stays within the depth limit, and nothing
// in it has changed (stillPristine).
func (w *jsonWriter) pristineJSON(obj *goja.Object) (string, bool) {
	if w.replacer != nil || w.propertyList != nil || w.gap != "" || obj.ExportType() != lazyObjectType {
		return "", false
	}
	o, _ := obj.Export().(*lazyObject)
	if o.dirty { // also every object built in Go, which has no document
		return "", false
	}
	doc := o.view.doc
	if !doc.canonical || len(w.stack)+doc.depth > maxJSONDepth {
		return "", false
	}
	proto := w.plainObjectPrototype()
	if proto == nil || !o.stillPristine(proto) {
		return "", false
	}
	n := &doc.tape[o.node]
	return doc.text[n.start:n.end], true
}

// stillPristine reports whether o is as it was read: not changed, its
// prototype still proto (Object.prototype without a toJSON), and whatever
// was read from it a primitive or a lazy object that is still pristine.
// JavaScript can give an object another prototype, or change an array,
// without the lazy objects knowing; an array read from o therefore makes
// it count as changed.
func (o *lazyObject) stillPristine(proto *goja.Object) bool {
	if o.dirty {
		return false
	}
	if p := o.self.Prototype(); p == nil || !p.SameAs(proto) {
		return false
	}
	// Unchanged, its members are those on the tape; what JavaScript
	// holds of them was read into read, or, once opened, into members.
	for _, r := range o.read {
		if !pristineValue(r.value, proto) {
			return false
		}
	}
	for i := range o.members {
		if !pristineValue(o.members[i].value, proto) {
			return false
		}
	}
	return true
}

// pristineValue reports whether v, read from a lazy object, is a
// primitive or a lazy object that is still pristine.
func pristineValue(v goja.Value, proto *goja.Object) bool {
	obj, ok := v.(*goja.Object)
	if !ok {
		return true
	}
	if obj.ExportType() != lazyObjectType {
		return false // an array
	}
	lo, _ := obj.Export().(*lazyObject)
	return lo.stillPristine(proto)
}

// plainObjectPrototype returns Object.prototype if it has no toJSON of
// its own (it inherits nothing), or nil.
func (w *jsonWriter) plainObjectPrototype() *goja.Object {
	if !w.protoLooked {
		w.protoLooked = true
		ctor, _ := w.inst.vm.Get("Object").(*goja.Object)
		if ctor == nil {
			return nil
		}
		proto, _ := ctor.Get("prototype").(*goja.Object)
		if proto != nil && !slices.Contains(proto.GetOwnPropertyNames(), "toJSON") {
			w.objectProto = proto
		}
	}
	return w.objectProto
}

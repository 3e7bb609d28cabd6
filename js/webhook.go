package js

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/dop251/goja"

	"github.com/hookbridge/hookbridge"
)

// defaultMethod is webhook.method when the input names none.
const defaultMethod = "POST"

// allowedMethods are the HTTP methods a handler may choose.
var allowedMethods = map[string]bool{"POST": true, "PUT": true, "PATCH": true}

// webhook is the object one call hands to the handler, with what is needed
// to tell afterwards whether the handler changed anything.
type webhook struct {
	obj     *goja.Object
	payload *goja.Object // nil when the payload is not an object
	in      hookbridge.TransformInput
}

// newWebhook builds a fresh webhook object for in: eventType, payload (the
// decoded event), url, method, headers (empty) and cancel (false). Code
// that gets a lazy payload gets a webhook object of the same kind, which
// is cheaper to make; other code gets an ordinary object.
func (inst *instance) newWebhook(in hookbridge.TransformInput) (*webhook, error) {
	vm := inst.vm
	payload, err := decodePayload(vm, in.Payload, inst.lazyPayload)
	if err != nil {
		return nil, fmt.Errorf("js: %w: %w", hookbridge.ErrUndecodablePayload, err)
	}
	in.Method = cmp.Or(in.Method, defaultMethod)
	fields := []lazyMember{
		{name: "eventType", node: -1, value: vm.ToValue(in.EventType)},
		{name: "payload", node: -1, value: payload},
		{name: "url", node: -1, value: vm.ToValue(in.URL)},
		{name: "method", node: -1, value: vm.ToValue(in.Method)},
		{name: "headers", node: -1, value: vm.NewObject()},
		{name: "cancel", node: -1, value: vm.ToValue(false)},
	}
	w := &webhook{in: in}
	w.payload, _ = payload.(*goja.Object)
	if inst.lazyPayload {
		w.obj = newMemberObject(vm, fields)
		return w, nil
	}
	w.obj = vm.NewObject()
	for _, field := range fields {
		if err := w.obj.Set(field.name, field.value); err != nil {
			return nil, fmt.Errorf("js: build webhook: %w", err)
		}
	}
	return w, nil
}

// readResult checks what the handler returned and turns it into a
// TransformOutput. It runs JavaScript (getters, toJSON), so it must be
// called inside instance.guarded.
func (inst *instance) readResult(w *webhook, result goja.Value) (*hookbridge.TransformOutput, *hookbridge.CodeError) {
	obj, ok := result.(*goja.Object)
	if !ok || isArray(obj) {
		return nil, resultError("handler must return the webhook object, but it returned %s (did you forget `return webhook`?)", typeOf(result))
	}
	out := &hookbridge.TransformOutput{}
	var cerr *hookbridge.CodeError
	if out.URL, cerr = readURL(obj.Get("url"), w.in.URL); cerr != nil {
		return nil, cerr
	}
	if out.Method, cerr = readMethod(obj.Get("method")); cerr != nil {
		return nil, cerr
	}
	if out.Headers, cerr = readHeaders(obj.Get("headers")); cerr != nil {
		return nil, cerr
	}
	if out.Cancel, cerr = readCancel(obj.Get("cancel")); cerr != nil {
		return nil, cerr
	}
	payload := obj.Get("payload")
	if out.Payload, cerr = inst.serializePayload(payload); cerr != nil {
		return nil, cerr
	}
	out.Changed = out.URL != w.in.URL || out.Method != strings.ToUpper(w.in.Method) ||
		len(out.Headers) > 0 || out.Cancel || !w.unchangedPayload(payload, out.Payload)
	return out, nil
}

// unchangedPayload reports whether the handler left the payload as it came:
// the same object (or primitive) as passed in, and JSON-equal to the input.
// A payload replaced by an equal copy counts as changed.
func (w *webhook) unchangedPayload(payload goja.Value, serialized json.RawMessage) bool {
	sameValue := w.payload == nil && !isObject(payload) || w.payload != nil && w.payload.SameAs(payload)
	return sameValue && samePayload(serialized, w.in.Payload)
}

func resultError(format string, args ...any) *hookbridge.CodeError {
	return codeError(kindResult, format, args...)
}

// readURL accepts an absolute http or https URL. A URL the handler left as
// it came is passed on unchecked: the endpoint's own URL is not the code's
// business.
func readURL(v goja.Value, inputURL string) (string, *hookbridge.CodeError) {
	s, ok := v.(goja.String)
	if !ok {
		return "", resultError("webhook.url must be a string, but it is %s", typeOf(v))
	}
	raw := s.String()
	if raw == inputURL {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", resultError("webhook.url must be an absolute http:// or https:// URL, but it is %q", raw)
	}
	return raw, nil
}

func readMethod(v goja.Value) (string, *hookbridge.CodeError) {
	if isNullish(v) {
		return defaultMethod, nil
	}
	s, ok := v.(goja.String)
	if !ok {
		return "", resultError("webhook.method must be a string, but it is %s", typeOf(v))
	}
	method := strings.ToUpper(s.String())
	if !allowedMethods[method] {
		return "", resultError("webhook.method must be POST, PUT or PATCH, but it is %q", s.String())
	}
	return method, nil
}

// The limits of webhook.headers, as HTTP servers commonly set them.
const (
	// MaxHeaders is how many headers a handler may set.
	MaxHeaders = 100
	// MaxHeaderBytes bounds the length of their names and values together.
	MaxHeaderBytes = 16 << 10
)

// readHeaders accepts an object of at most MaxHeaders own enumerable
// properties, strings of at most MaxHeaderBytes with their names; names
// must be valid HTTP header names, set once regardless of letter case, and
// values must not contain line breaks. Its work is linear in the number of
// headers, and it stops at the first one past a limit.
func readHeaders(v goja.Value) (map[string]string, *hookbridge.CodeError) {
	if isNullish(v) {
		return nil, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || isArray(obj) {
		return nil, resultError("webhook.headers must be an object of header names to strings, but it is %s", typeOf(v))
	}
	keys := obj.Keys()
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > MaxHeaders {
		return nil, codeError(kindLimit, "webhook.headers has %d headers; at most %d are allowed", len(keys), MaxHeaders)
	}
	headers := make(map[string]string, len(keys))
	seen := make(map[string]bool, len(keys))
	size := 0
	for _, name := range keys {
		value := obj.Get(name)
		s, ok := value.(goja.String)
		if !ok {
			return nil, resultError("webhook.headers[%q] must be a string, but it is %s (use String(value))", name, typeOf(value))
		}
		text := s.String()
		size += len(name) + len(text)
		switch {
		case size > MaxHeaderBytes:
			return nil, codeError(kindLimit, "webhook.headers: names and values add up to more than %s; at most %d bytes are allowed", formatBytes(MaxHeaderBytes), MaxHeaderBytes)
		case !validHeaderName(name):
			return nil, resultError("webhook.headers: %q is not a valid HTTP header name", name)
		case strings.ContainsAny(text, "\r\n\x00"):
			return nil, resultError("webhook.headers[%q] must not contain line breaks or NUL characters", name)
		case seen[strings.ToLower(name)]:
			return nil, resultError("webhook.headers: %q is set twice (header names ignore letter case)", name)
		}
		seen[strings.ToLower(name)] = true
		headers[name] = text
	}
	return headers, nil
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func readCancel(v goja.Value) (bool, *hookbridge.CodeError) {
	if isNullish(v) {
		return false, nil
	}
	if isObject(v) {
		// Export would read every property of an object, running getters.
		return false, resultError("webhook.cancel must be true or false, but it is %s", typeOf(v))
	}
	if b, ok := v.Export().(bool); ok {
		return b, nil
	}
	return false, resultError("webhook.cancel must be true or false, but it is %s", typeOf(v))
}

func isObject(v goja.Value) bool {
	_, ok := v.(*goja.Object)
	return ok
}

// outputSizeHint is the room first made for an output payload: more than
// a typical transformed event needs, so that it is written without the
// buffer growing.
const outputSizeHint = 512

// serializePayload writes the payload as JSON.stringify would, within the
// output limit.
func (inst *instance) serializePayload(payload goja.Value) (json.RawMessage, *hookbridge.CodeError) {
	w := inst.newJSONWriter(inst.limits.MaxOutput)
	w.out = make([]byte, 0, outputSizeHint)
	var written bool
	if ex := inst.vm.Try(func() { written = w.serialize(payload) }); ex != nil {
		if w.tooLarge {
			return nil, codeError(kindLimit, "webhook.payload is larger than %d bytes as JSON", inst.limits.MaxOutput)
		}
		text, err := inst.describeThrown(ex.Value())
		if err != nil {
			panic(err) // on to the enclosing guarded
		}
		ce := resultError("webhook.payload cannot be written as JSON: %s", text)
		ce.Line, ce.Column = userPosition(ex.Stack())
		return nil, ce
	}
	if !written {
		return nil, resultError("webhook.payload must be a JSON value, but it is %s", typeOf(payload))
	}
	return json.RawMessage(w.out), nil
}

// samePayload reports whether the serialised output payload is JSON-equal
// to the input: byte-equal to its compact form in the common case, equal
// as decoded values otherwise (escapes, number spellings and key order may
// differ).
func samePayload(out, in json.RawMessage) bool {
	if bytes.Equal(out, in) {
		return true // the usual case: a compact payload returned untouched
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, in); err == nil && bytes.Equal(compact.Bytes(), out) {
		return true
	}
	var a, b any
	if json.Unmarshal(out, &a) != nil || json.Unmarshal(in, &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}

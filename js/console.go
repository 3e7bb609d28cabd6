package js

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// maxLineBytes bounds one console line; longer lines are cut and end in
// "…".
const maxLineBytes = 4096

// truncatedLine is the one line added when a handler logs more lines than
// allowed.
const truncatedLine = "…output truncated"

// console captures what a handler logs with console.log, info, warn,
// error and debug. Each call is one line, formatted as a browser's console
// shows it: strings as they are, numbers as JavaScript prints them, objects
// and arrays as JSON, with %s, %d, %i, %f, %o, %O and %c in a first string
// argument substituted. Lines of warn and error start with "[warn] " and
// "[error] ".
type console struct {
	inst      *instance
	maxLines  int
	lines     []string
	truncated bool
}

func newConsole(inst *instance, maxLines int) *console {
	return &console{inst: inst, maxLines: maxLines}
}

// take returns the lines logged since the last take and starts afresh.
func (c *console) take() []string {
	lines := c.lines
	c.lines, c.truncated = nil, false
	return lines
}

// object builds the global console object.
func (c *console) object() *goja.Object {
	obj := c.inst.vm.NewObject()
	levels := []struct{ name, prefix string }{
		{"log", ""}, {"info", ""}, {"debug", ""}, {"warn", "[warn] "}, {"error", "[error] "},
	}
	for _, level := range levels {
		_ = obj.Set(level.name, c.inst.nativeFunc(level.name, 0, c.printer(level.prefix)))
	}
	return obj
}

func (c *console) printer(prefix string) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if len(c.lines) >= c.maxLines {
			if !c.truncated {
				c.truncated = true
				c.lines = append(c.lines, truncatedLine)
			}
			return goja.Undefined()
		}
		c.lines = append(c.lines, cutLine(prefix+c.format(call.Arguments)))
		return goja.Undefined()
	}
}

// format joins the arguments of one console call into a line.
func (c *console) format(args []goja.Value) string {
	if len(args) == 0 {
		return ""
	}
	var b strings.Builder
	rest := args
	if first, ok := args[0].(goja.String); ok && strings.ContainsRune(first.String(), '%') {
		rest = c.substitute(&b, first.String(), args[1:])
	} else {
		b.WriteString(c.formatValue(args[0]))
		rest = args[1:]
	}
	for _, arg := range rest {
		if b.Len() > maxLineBytes {
			break
		}
		b.WriteByte(' ')
		b.WriteString(c.formatValue(arg))
	}
	return b.String()
}

// substitute expands format specifiers in the first argument and returns
// the arguments left over.
func (c *console) substitute(b *strings.Builder, format string, args []goja.Value) []goja.Value {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		verb := format[i+1]
		if verb == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if !strings.ContainsRune("sdifoOc", rune(verb)) || len(args) == 0 {
			b.WriteByte('%')
			continue
		}
		arg := args[0]
		args = args[1:]
		i++
		switch verb {
		case 's', 'o', 'O':
			b.WriteString(c.formatValue(arg))
		case 'd', 'i':
			b.WriteString(c.formatNumber(arg, true))
		case 'f':
			b.WriteString(c.formatNumber(arg, false))
		case 'c': // CSS styling: nothing to show in text
		}
	}
	return args
}

func (c *console) formatNumber(v goja.Value, integer bool) string {
	var n goja.Value
	if ex := c.inst.vm.Try(func() { n = v.ToNumber() }); ex != nil {
		return "NaN"
	}
	if integer {
		f := n.ToFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return n.String()
		}
		return strconv.FormatFloat(math.Trunc(f), 'f', -1, 64)
	}
	return n.String()
}

// formatValue renders one value the way a browser's console does in text.
func (c *console) formatValue(v goja.Value) string {
	switch {
	case v == nil:
		return "undefined"
	case goja.IsString(v):
		return v.String()
	case goja.IsBigInt(v):
		return v.String() + "n"
	}
	if sym, ok := v.(*goja.Symbol); ok {
		return "Symbol(" + sym.String() + ")"
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return v.String()
	}
	if _, callable := goja.AssertFunction(obj); callable {
		return c.describeFunction(obj)
	}
	if text, ok := c.safeErrorText(obj); ok {
		return text
	}
	return c.formatJSON(obj)
}

func (c *console) describeFunction(fn *goja.Object) string {
	var name string
	c.inst.vm.Try(func() {
		if n, ok := fn.Get("name").(goja.String); ok {
			name = n.String()
		}
	})
	if name == "" {
		return "[Function (anonymous)]"
	}
	return "[Function: " + name + "]"
}

func (c *console) safeErrorText(obj *goja.Object) (text string, ok bool) {
	if ex := c.inst.vm.Try(func() { text, ok = errorText(obj) }); ex != nil {
		return "", false
	}
	return text, ok
}

// formatJSON writes an object as JSON, stopping early once the line is
// long enough; a Date shows as its ISO string, without quotes.
func (c *console) formatJSON(obj *goja.Object) string {
	w := c.inst.newJSONWriter(maxLineBytes)
	var written bool
	ex := c.inst.vm.Try(func() { written = w.serialize(obj) })
	switch {
	case ex != nil && w.tooLarge:
		return string(w.out)
	case ex != nil:
		reason := "it threw"
		if thrown, ok := ex.Value().(*goja.Object); ok {
			if text, ok := c.safeErrorText(thrown); ok {
				reason = text
			}
		}
		return "[object " + obj.ClassName() + " that cannot be shown: " + reason + "]"
	case !written:
		return "undefined"
	}
	out := string(w.out)
	if obj.ClassName() == "Date" && strings.HasPrefix(out, `"`) {
		if unquoted, err := strconv.Unquote(out); err == nil {
			return unquoted
		}
	}
	return out
}

// cutLine shortens a line to maxLineBytes, at a character boundary.
func cutLine(line string) string {
	if len(line) <= maxLineBytes {
		return line
	}
	end := maxLineBytes - len("…")
	for end > 0 && !utf8.RuneStart(line[end]) {
		end--
	}
	return line[:end] + "…"
}

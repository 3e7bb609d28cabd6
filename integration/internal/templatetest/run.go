package templatetest

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/hookbridge/hookbridge"
)

// Result is what a handler did with one event.
type Result struct {
	// Changed is false when the handler returned the webhook as it came.
	Changed bool
	Cancel  bool
	// Request is the request the handler built, before Prepare.
	Request hookbridge.OutboundRequest
}

// output mirrors the webhook object a handler returns.
type output struct {
	URL     string            `json:"url"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Payload json.RawMessage   `json:"payload"`
	Cancel  bool              `json:"cancel"`
}

// Run runs the handler of code on one event whose request would go to
// defaultURL unless the handler sets webhook.url.
func Run(code, eventType string, payload []byte, defaultURL string) (Result, error) {
	vm := goja.New()
	if err := vm.Set("hb", map[string]any{"formatAmount": formatAmountJS(vm)}); err != nil {
		return Result{}, err
	}
	if _, err := vm.RunString(code); err != nil {
		return Result{}, fmt.Errorf("compile: %w", err)
	}
	handler, ok := goja.AssertFunction(vm.Get("handler"))
	if !ok {
		return Result{}, fmt.Errorf("code defines no function handler")
	}
	input, err := json.Marshal(map[string]any{
		"eventType": eventType, "payload": json.RawMessage(payload),
		"url": defaultURL, "method": "POST", "headers": map[string]string{},
	})
	if err != nil {
		return Result{}, fmt.Errorf("encode input: %w", err)
	}
	stringify := func(v goja.Value) (string, error) {
		res, err := vm.RunString("(function(v){return JSON.stringify(v)})")
		if err != nil {
			return "", err
		}
		fn, _ := goja.AssertFunction(res)
		s, err := fn(goja.Undefined(), v)
		if err != nil {
			return "", err
		}
		return s.String(), nil
	}
	webhook, err := vm.RunString("(" + string(input) + ")")
	if err != nil {
		return Result{}, fmt.Errorf("build webhook: %w", err)
	}
	before, err := stringify(webhook)
	if err != nil {
		return Result{}, err
	}
	returned, err := handler(goja.Undefined(), webhook)
	if err != nil {
		return Result{}, fmt.Errorf("handler: %w", err)
	}
	after, err := stringify(returned)
	if err != nil {
		return Result{}, err
	}
	var out output
	if err := json.Unmarshal([]byte(after), &out); err != nil {
		return Result{}, fmt.Errorf("handler returned %s: %w", after, err)
	}
	return Result{
		Changed: after != before,
		Cancel:  out.Cancel,
		Request: hookbridge.OutboundRequest{Method: out.Method, URL: out.URL, Headers: out.Headers, Body: out.Payload},
	}, nil
}

// formatAmountJS stands in for the sandbox's hb.formatAmount.
func formatAmountJS(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		amount := call.Argument(0).ToFloat()
		if math.IsNaN(amount) || amount != math.Trunc(amount) {
			panic(vm.NewTypeError("hb.formatAmount: amount must be an integer number of minor units"))
		}
		return vm.ToValue(FormatAmount(int64(amount), call.Argument(1).String()))
	}
}

// FormatAmount writes minor units in major units by the currency's ISO
// 4217 exponent: 2999 USD is "29.99", 400 JPY is "400", 1234 KWD "1.234".
func FormatAmount(amount int64, currency string) string {
	exp := currencyExponent(strings.ToUpper(currency))
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	if exp == 0 {
		return sign + strconv.FormatInt(amount, 10)
	}
	unit := int64(math.Pow10(exp))
	return fmt.Sprintf("%s%d.%0*d", sign, amount/unit, exp, amount%unit)
}

func currencyExponent(currency string) int {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

//go:embed samples/*.json
var samples embed.FS

// Sample returns the sample event of a type; variant picks another sample
// of the same type ("jpy" for samples/payment.succeeded.jpy.json).
func Sample(eventType string, variant ...string) []byte {
	name := eventType
	if len(variant) > 0 {
		name += "." + variant[0]
	}
	b, err := samples.ReadFile("samples/" + name + ".json")
	if err != nil {
		panic("templatetest: no sample " + name)
	}
	return b
}

// SampleTypes lists the event types that have a sample.
func SampleTypes() []string {
	entries, _ := samples.ReadDir("samples")
	var types []string
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		if strings.Count(name, ".") == 1 {
			types = append(types, name)
		}
	}
	return types
}

// SpecHandler reads one of the source documents' handlers from the shared
// spec folder beside the repository (../shared/spec/handlers from the module
// root). ok is false when that folder is not there.
func SpecHandler(name string) (code []byte, ok bool, err error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, false, err
	}
	dir := filepath.Join(root, "..", "shared", "spec", "handlers")
	if _, err := os.Stat(dir); err != nil {
		return nil, false, nil
	}
	code, err = os.ReadFile(filepath.Join(dir, name))
	return code, err == nil, err
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

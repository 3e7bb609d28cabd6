package templatetest

import (
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/js"
)

// Result is what a handler did with one event.
type Result struct {
	// Changed is false when the handler returned the webhook as it came.
	Changed bool
	Cancel  bool
	// Request is the request the handler built, before Prepare.
	Request hookbridge.OutboundRequest
}

// Run runs the handler of code on one event whose request would go to
// defaultURL unless the handler sets webhook.url, in the sandbox that runs
// transformations (package js), with its hb helpers.
func Run(code, eventType string, payload []byte, defaultURL string) (Result, error) {
	out, err := js.New(js.Options{}).Transform(context.Background(), "", code, hookbridge.TransformInput{
		EventType: eventType, Payload: payload, URL: defaultURL, Method: "POST",
	})
	if err != nil {
		return Result{}, err
	}
	return Result{
		Changed: out.Changed,
		Cancel:  out.Cancel,
		Request: hookbridge.OutboundRequest{Method: out.Method, URL: out.URL, Headers: out.Headers, Body: out.Payload},
	}, nil
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

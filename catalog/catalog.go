package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hookbridge/hookbridge"
)

// catalogue is built once, on first use, and never changed afterwards;
// callers only ever see copies.
var catalogue = sync.OnceValue(func() index {
	return newIndex(definitions())
})

// index holds the marshalled catalogue in the platform's order and by name.
type index struct {
	types  []hookbridge.EventType
	byName map[string]int
}

// newIndex marshals every sample. The samples are fixed values of our own
// types, so a failure is a programming error caught by the package's tests.
func newIndex(defs []definition) index {
	idx := index{byName: make(map[string]int, len(defs))}
	for i, def := range defs {
		sample, err := marshalSample(def.envelope())
		if err != nil {
			panic(fmt.Sprintf("catalog: marshal sample of %s: %v", def.name, err))
		}
		idx.types = append(idx.types, hookbridge.EventType{
			Name:        def.name,
			Category:    def.category(),
			Description: def.description,
			Sample:      sample,
		})
		idx.byName[def.name] = i
	}
	return idx
}

// marshalSample encodes a sample compactly, as the platform sends it:
// unlike json.Marshal it leaves <, > and & as they are.
func marshalSample(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// All returns every event type the platform sends, in the order of the
// platform's reference, each with a sample payload. The slice and the
// samples are the caller's to keep or change.
func All() []hookbridge.EventType {
	types := catalogue().types
	all := make([]hookbridge.EventType, len(types))
	for i, t := range types {
		all[i] = clone(t)
	}
	return all
}

// Lookup returns the event type with the given name, such as
// "payment.succeeded", and whether there is one.
func Lookup(name string) (hookbridge.EventType, bool) {
	idx := catalogue()
	i, ok := idx.byName[name]
	if !ok {
		return hookbridge.EventType{}, false
	}
	return clone(idx.types[i]), true
}

// Names returns the names of all event types, in the same order as All.
func Names() []string {
	types := catalogue().types
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return names
}

// Known reports whether name is an event type of the catalogue. An unknown
// type is not an error: the platform may add types before the catalogue
// learns of them.
func Known(name string) bool {
	_, ok := catalogue().byName[name]
	return ok
}

func clone(t hookbridge.EventType) hookbridge.EventType {
	t.Sample = bytes.Clone(t.Sample)
	return t
}

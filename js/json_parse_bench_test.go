package js

import (
	"testing"

	"github.com/hookbridge/hookbridge/catalog"
)

// BenchmarkParsePayload reads the catalogue's samples into tapes, which a
// transformation does with its payload before the handler runs.
func BenchmarkParsePayload(b *testing.B) {
	for _, name := range []string{"payment.succeeded", "customer.updated", "subscription.created"} {
		sample, ok := catalog.Lookup(name)
		if !ok {
			b.Fatalf("no %s sample", name)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(sample.Sample)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseJSON(sample.Sample); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

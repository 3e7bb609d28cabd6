package js

import (
	"testing"

	"github.com/hookbridge/hookbridge/catalog"
)

// BenchmarkParsePayload reads the catalogue's payment.succeeded sample
// into a tape, which a transformation does with its payload before the
// handler runs.
func BenchmarkParsePayload(b *testing.B) {
	sample, ok := catalog.Lookup("payment.succeeded")
	if !ok {
		b.Fatal("no payment.succeeded sample")
	}
	b.SetBytes(int64(len(sample.Sample)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseJSON(sample.Sample); err != nil {
			b.Fatal(err)
		}
	}
}

package jsonbody

import (
	"testing"
)

var benchBody = []byte(`{"type":"track","event":"Payment Succeeded","userId":"cus_123","messageId":"","properties":{"amount":1999,"currency":"usd","items":[{"sku":"a","qty":1},{"sku":"b","qty":2}],"paid":true,"note":null},"context":{"library":{"name":"hookbridge"}}}`)

func BenchmarkMembers(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Members(benchBody, Lenient); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckStrict(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(benchBody, Strict); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeValue(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeValue(benchBody, Lenient); err != nil {
			b.Fatal(err)
		}
	}
}

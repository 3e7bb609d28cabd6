package hookbridge

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzScanCustomer holds scanCustomer to what decoding valid JSON with
// encoding/json finds at the same paths (keys matched exactly, the last of
// repeated keys winning), and checks that it never fails on valid JSON.
func FuzzScanCustomer(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"customer":{"customer_id":"cus_1","email":"A@b.c"}}}`,
		`{"type":"x","data":{"customer_id":"cus_2","list":[{"customer":{"email":"x"}},"]}"],"n":-1.5e3}}`,
		`{"data":{"customer":{"customer_id":"c\"1\u00e9","email":null},"customer_id":true}}`,
		`{"data":{"customer":"cus"},"data":{"customer":{"email":"last@wins"}}}`,
		`{"d\u0061ta":{"customer_id":"escaped key"}}`,
		`{"data":[],"x":{}}`,
		` { "data" : { "customer" : { "customer_id" : "spaced" } } } `,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, ok := scanCustomer(payload)
		if !json.Valid(payload) {
			return
		}
		var top any
		dec := json.NewDecoder(bytes.NewReader(payload))
		dec.UseNumber() // numbers beyond float64 are valid JSON too
		if err := dec.Decode(&top); err != nil {
			t.Fatal(err)
		}
		_, isObject := top.(map[string]any)
		if ok != isObject {
			t.Fatalf("scanCustomer(%s) ok = %v, want %v", payload, ok, isObject)
		}
		data := field(top, "data")
		customer := field(data, "customer")
		want := customerFields{
			id:     stringAt(customer, "customer_id"),
			email:  stringAt(customer, "email"),
			dataID: stringAt(data, "customer_id"),
		}
		if got != want {
			t.Fatalf("scanCustomer(%s) = %+v, want %+v", payload, got, want)
		}
	})
}

func field(v any, key string) any {
	if obj, ok := v.(map[string]any); ok {
		return obj[key]
	}
	return nil
}

func stringAt(v any, key string) string {
	s, _ := field(v, key).(string)
	return s
}

package httpapi

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// messageBodySeeds are bodies of POST …/messages, usual and unusual.
func messageBodySeeds() []string {
	seeds := []string{
		`{"event_type":"payment.succeeded","payload":{"type":"payment.succeeded","data":{"a":[1,2,{"b":null}]}},"event_id":"evt_1"}`,
		` {"event_type" : "a" , "payload" : { } } `,
		`{}`, ` { } `, `{"payload":{}}`, `{"event_id":""}`,
		`{"Event_Type":"a","payload":{}}`, `{"event_type":"a","event_type":"b"}`,
		`{"event_type":"a\u00e9","payload":{}}`, `{"event_type":"\ud800"}`, `{"event_id":"a\"b"}`,
		`{"event_\u0074ype":"a"}`, `{"event_type":null}`, `{"event_type":5}`, `{"payload":null}`,
		`{"payload":[1]}`, `{"payload":"x"}`, `{"payload":{},"payload":{}}`, `{"other":1}`,
		`{"payload":{}}{}`, `{"payload":{}} x`, `{"payload":{}`, `{"payload":{"a":}}`, `{"payload":{"a" 1}}`,
		`{"payload":{"n":[-0,0.5,1e9,-1.25E-3,1e+2]}}`, `{"payload":{"n":01}}`, `{"payload":{"n":1.}}`,
		`{"payload":{"n":.5}}`, `{"payload":{"n":-}}`, `{"payload":{"n":1e}}`, `{"payload":{"n":+1}}`,
		`{"payload":{"t":true,"f":false,"z":null}}`, `{"payload":{"t":tru}}`, `{"payload":{"t":nul}}`,
		`{"payload":{"s":"\\\/\b\f\n\r\t\u00A9"}}`, `{"payload":{"s":"\x"}}`, `{"payload":{"s":"\u12"}}`,
		"{\"payload\":{\"s\":\"a\tb\"}}", "{\"event_id\":\"\xff\"}", "{\"payload\":{\"s\":\"\xff\"}}",
		"\ufeff{}", "{\"event_id\":\"a\x7fb\"}", `[]`, `"x"`, `null`, ``, ` `, `{`, `}`, `{,}`, `{"a":1,}`,
		`{"payload":{"a":[1,]}}`, `{"payload":{"a":[,1]}}`, "{\"payload\":{}}\n",
		`{"payload":` + strings.Repeat(`[`, jsonbody.MaxDepth-1) + strings.Repeat(`]`, jsonbody.MaxDepth-1) + `}`,
		`{"payload":` + strings.Repeat(`{"a":`, jsonbody.MaxDepth) + `1` + strings.Repeat(`}`, jsonbody.MaxDepth) + `}`,
	}
	for _, et := range catalog.All() {
		seeds = append(seeds, fmt.Sprintf(`{"event_type":%q,"event_id":"evt_1","payload":%s}`, et.Name, et.Sample))
	}
	return seeds
}

// FuzzDecodeMessageInput holds the one-pass decoding of message bodies
// to the general one: the same value or the same error for any body.
func FuzzDecodeMessageInput(f *testing.F) {
	for _, seed := range messageBodySeeds() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast, general messageInput
		fastErr := decodeMessageInput(body, 1<<20, &fast)
		generalErr := decodeJSONBody(body, 1<<20, &general)
		if !reflect.DeepEqual(fastErr, generalErr) {
			t.Fatalf("for %q: error %v, want %v", body, fastErr, generalErr)
		}
		if !sameMessageInput(fast, general) {
			t.Fatalf("for %q: decoded %+v, want %+v", body, fast, general)
		}
	})
}

func sameMessageInput(a, b messageInput) bool {
	return a.EventType == b.EventType && a.EventID == b.EventID && bytes.Equal(a.Payload, b.Payload) &&
		(a.Payload == nil) == (b.Payload == nil)
}

// TestDecodeMessageInputTakesTheUsualBody: the bodies the API is posted every
// day take the fast path; the seeds of the fuzz test agree with the
// general path.
func TestDecodeMessageInputTakesTheUsualBody(t *testing.T) {
	for _, et := range catalog.All() {
		body := fmt.Sprintf(`{"event_type":%q,"event_id":"evt_1","payload":%s}`, et.Name, et.Sample)
		var in messageInput
		members, err := jsonbody.Members([]byte(body), jsonbody.Strict)
		if err != nil || !usualMessage([]byte(body), members, &in) {
			t.Errorf("the sample of %s does not take the fast path", et.Name)
			continue
		}
		if in.EventType != et.Name || in.EventID != "evt_1" || !bytes.Equal(in.Payload, et.Sample) {
			t.Errorf("the sample of %s decoded to %q %q %q", et.Name, in.EventType, in.EventID, in.Payload)
		}
	}
	for _, body := range messageBodySeeds() {
		var fast, general messageInput
		fastErr := decodeMessageInput([]byte(body), 1<<20, &fast)
		generalErr := decodeJSONBody([]byte(body), 1<<20, &general)
		if !reflect.DeepEqual(fastErr, generalErr) || !sameMessageInput(fast, general) {
			t.Errorf("for %q: %+v, %v; want %+v, %v", body, fast, fastErr, general, generalErr)
		}
	}
}

func BenchmarkDecodeMessageInput(b *testing.B) {
	sample, _ := catalog.Lookup("payment.succeeded")
	body := fmt.Appendf(nil, `{"event_type":"payment.succeeded","event_id":"evt_1","payload":%s}`, sample.Sample)
	b.SetBytes(int64(len(body)))
	for _, path := range []struct {
		name   string
		decode func([]byte, int64, *messageInput) error
	}{
		{"fast", decodeMessageInput},
		{"general", func(body []byte, limit int64, in *messageInput) error { return decodeJSONBody(body, limit, in) }},
	} {
		b.Run(path.name, func(b *testing.B) {
			for b.Loop() {
				var in messageInput
				if err := path.decode(body, 1<<20, &in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func TestRotationGraceEnds(t *testing.T) {
	t0 := time.Date(2025, 8, 4, 12, 0, 0, 0, time.UTC)
	src := &hookbridge.Source{Secrets: []hookbridge.SourceSecret{{Secret: "whsec_old", CreatedAt: t0}}}
	src.Secrets = rotateSecrets(src.Secrets, "whsec_new", t0)

	both := src.ActiveSecrets(t0.Add(hookbridge.RotationGrace - time.Second))
	if len(both) != 2 || both[0] != "whsec_new" || both[1] != "whsec_old" {
		t.Fatalf("during the grace: %v, want new and old", both)
	}
	after := src.ActiveSecrets(t0.Add(hookbridge.RotationGrace))
	if len(after) != 1 || after[0] != "whsec_new" {
		t.Fatalf("after the grace: %v, want only the new secret", after)
	}
	// A second rotation after the grace drops the expired secret, and does
	// not extend the grace of one already expiring sooner.
	later := t0.Add(hookbridge.RotationGrace + time.Hour)
	src.Secrets = rotateSecrets(src.Secrets, "whsec_newer", later)
	if len(src.Secrets) != 2 || src.Secrets[1].Secret != "whsec_new" {
		t.Fatalf("secrets %+v, want newer and new (old dropped)", src.Secrets)
	}
}

func TestEnvelopeType(t *testing.T) {
	cases := map[string]string{
		`{"type":"payment.succeeded","data":{}}`: "payment.succeeded",
		` {"type":"refund.failed"}`:              "refund.failed",
		`{"type":""}`:                            "",
		`{"type":5}`:                             "",
		`{"data":{}}`:                            "",
		`[{"type":"payment.succeeded"}]`:         "",
		`"payment.succeeded"`:                    "",
		`{"type":"payment.succeeded"`:            "",
		``:                                       "",
	}
	for body, want := range cases {
		got, err := envelopeType([]byte(body))
		if got != want || (want == "") != (err != nil) {
			t.Errorf("envelopeType(%q) = %q, %v; want %q", body, got, err, want)
		}
	}
}

// FuzzEnvelopeType: any body either yields a non-empty type that the body
// really holds at the top level, or an error; never a panic.
func FuzzEnvelopeType(f *testing.F) {
	for _, s := range []string{`{"type":"payment.succeeded","data":{}}`, `{"type":null}`, `[]`, `{"type":"a","type":"b"}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		typ, err := envelopeType(body)
		if err != nil {
			return
		}
		var env map[string]json.RawMessage
		if json.Unmarshal(body, &env) != nil {
			t.Fatalf("accepted a body that is not a JSON object: %q", body)
		}
		if typ == "" {
			t.Fatal("accepted an empty type")
		}
	})
}

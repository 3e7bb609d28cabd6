package segment

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

func describeProblems(ps []hookbridge.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s: %s (fix: %s)\n", p.Field, p.Message, p.Fix)
	}
	return b.String()
}

func batchOf(n int, item string) string {
	return `{"batch":[` + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + `]}`
}

func TestValidate(t *testing.T) {
	const (
		v1       = "https://api.segment.io/v1/"
		bigProps = `"properties":{"blob":"` // + 33 KB + `"}`
	)
	big := strings.Repeat("x", 33<<10)
	tests := []struct {
		name   string
		method string
		url    string
		body   string
		want   []string
	}{
		// Valid calls.
		{"track", "POST", v1 + "track", `{"userId":"u1","event":"Payment Completed","properties":{"amount":29.99},"timestamp":"2025-08-04T05:30:45.182629Z","messageId":"m1"}`, nil},
		{"track on the EU host", "POST", "https://events.eu1.segmentapis.com/v1/track", `{"userId":"u1","event":"x"}`, nil},
		{"track by anonymousId", "POST", v1 + "track", `{"anonymousId":"a1","event":"x"}`, nil},
		{"numeric userId", "POST", v1 + "track", `{"userId":42,"event":"x"}`, nil},
		{"identify", "POST", v1 + "identify", `{"userId":"u1","traits":{"email":"a@example.com"}}`, nil},
		{"page without name", "POST", v1 + "page", `{"userId":"u1"}`, nil},
		{"screen", "POST", v1 + "screen", `{"anonymousId":"a1","name":"Home"}`, nil},
		{"group", "POST", v1 + "group", `{"userId":"u1","groupId":"g1","traits":{"plan":"pro"}}`, nil},
		{"alias", "POST", v1 + "alias", `{"previousId":"a1","userId":"u1"}`, nil},
		{"offset timestamp", "POST", v1 + "track", `{"userId":"u1","event":"x","timestamp":"2025-08-04T07:30:45+02:00"}`, nil},
		{"date-only timestamp", "POST", v1 + "track", `{"userId":"u1","event":"x","timestamp":"2025-08-04"}`, nil},
		{"messageId of 99 characters", "POST", v1 + "track", `{"userId":"u1","event":"x","messageId":"` + strings.Repeat("m", 99) + `"}`, nil},
		{"batch of mixed calls", "POST", v1 + "batch", `{"batch":[{"type":"identify","userId":"u"},{"type":"track","userId":"u","event":"x"}],"context":{"ip":"1.2.3.4"}}`, nil},
		{"batch of 2500", "POST", v1 + "batch", batchOf(2500, `{"type":"track","userId":"u","event":"x"}`), nil},

		// Transport.
		{"another host", "POST", "https://evil.example/v1/track", `{"userId":"u","event":"x"}`, []string{"url"}},
		{"http", "POST", "http://api.segment.io/v1/track", `{"userId":"u","event":"x"}`, []string{"url"}},
		{"unknown call", "POST", v1 + "purchase", `{"userId":"u"}`, []string{"url"}},
		{"no version", "POST", "https://api.segment.io/track", `{"userId":"u"}`, []string{"url"}},
		{"PUT", "PUT", v1 + "track", `{"userId":"u","event":"x"}`, []string{"method"}},

		// Body.
		{"invalid JSON", "POST", v1 + "track", `{"userId":`, []string{"body"}},
		{"array", "POST", v1 + "track", `[]`, []string{"body"}},
		{"over 32 KB", "POST", v1 + "track", `{"userId":"u","event":"x",` + bigProps + big + `"}}`, []string{"body"}},

		// Silently dropped.
		{"no userId or anonymousId", "POST", v1 + "track", `{"event":"x"}`, []string{"userId"}},
		{"empty userId", "POST", v1 + "identify", `{"userId":"","traits":{}}`, []string{"userId"}},
		{"null userId (missing customer)", "POST", v1 + "identify", `{"userId":null}`, []string{"userId"}},
		{"track without event", "POST", v1 + "track", `{"userId":"u","properties":{}}`, []string{"event"}},
		{"track with empty event", "POST", v1 + "track", `{"userId":"u","event":" "}`, []string{"event"}},
		{"group without groupId", "POST", v1 + "group", `{"userId":"u"}`, []string{"groupId"}},
		{"alias without previousId", "POST", v1 + "alias", `{"userId":"u"}`, []string{"previousId"}},
		{"alias without userId", "POST", v1 + "alias", `{"previousId":"a"}`, []string{"userId"}},

		// Field types.
		{"userId an object", "POST", v1 + "track", `{"userId":{"id":"u"},"anonymousId":"a","event":"x"}`, []string{"userId"}},
		{"properties a string", "POST", v1 + "track", `{"userId":"u","event":"x","properties":"a"}`, []string{"properties"}},
		{"traits an array", "POST", v1 + "identify", `{"userId":"u","traits":[]}`, []string{"traits"}},
		{"unix timestamp", "POST", v1 + "track", `{"userId":"u","event":"x","timestamp":1754285445}`, []string{"timestamp"}},
		{"timestamp not a date", "POST", v1 + "track", `{"userId":"u","event":"x","timestamp":"yesterday"}`, []string{"timestamp"}},
		{"messageId of 100 characters", "POST", v1 + "track", `{"userId":"u","event":"x","messageId":"` + strings.Repeat("m", 100) + `"}`, []string{"messageId"}},
		{"numeric messageId", "POST", v1 + "track", `{"userId":"u","event":"x","messageId":7}`, []string{"messageId"}},
		{"context a string", "POST", v1 + "track", `{"userId":"u","event":"x","context":"web"}`, []string{"context"}},

		// Batch.
		{"batch missing", "POST", v1 + "batch", `{"userId":"u"}`, []string{"batch"}},
		{"batch empty", "POST", v1 + "batch", `{"batch":[]}`, []string{"batch"}},
		{"batch item without type", "POST", v1 + "batch", `{"batch":[{"userId":"u","event":"x"}]}`, []string{"batch[0].type"}},
		{"batch items located", "POST", v1 + "batch", `{"batch":[{"type":"track","userId":"u","event":"x"},{"type":"track","event":"x"},{"type":"track","userId":"u"},"s"]}`, []string{"batch[1].userId", "batch[2].event", "batch[3]"}},
		{"batch of 2501", "POST", v1 + "batch", batchOf(2501, `{"type":"track","userId":"u","event":"x"}`), []string{"batch"}},
		{"batch event over 32 KB", "POST", v1 + "batch", `{"batch":[{"type":"track","userId":"u","event":"x",` + bigProps + big + `"}}]}`, []string{"batch[0]"}},
		{"second batch event over 32 KB", "POST", v1 + "batch", `{"batch":[{"type":"track","userId":"u","event":"x"},{"type":"track","userId":"u","event":"x",` + bigProps + big + `"}}]}`, []string{"batch[1]"}},
		{"batch over 500 KB", "POST", v1 + "batch", batchOf(17, `{"type":"track","userId":"u","event":"x",`+bigProps+strings.Repeat("x", 30<<10)+`"}}`), []string{"body"}},
		{"batch context a string", "POST", v1 + "batch", `{"batch":[{"type":"track","userId":"u","event":"x"}],"context":"x"}`, []string{"context"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &hookbridge.OutboundRequest{Method: tt.method, URL: tt.url, Body: []byte(tt.body)}
			problems := New().Validate(req, sc.Now)
			var got []string
			for _, p := range problems {
				got = append(got, p.Field)
				if p.Message == "" {
					t.Errorf("problem on %s has no message", p.Field)
				}
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("problems on %v, want %v\n%s", got, tt.want, describeProblems(problems))
			}
		})
	}
}

func TestValidateSaysSegmentDropsSilently(t *testing.T) {
	for _, body := range []string{`{"event":"Payment Completed"}`, `{"userId":"u"}`} {
		ps := New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: DefaultURL, Body: []byte(body)}, sc.Now)
		if len(ps) != 1 || !strings.Contains(ps[0].Message, "200") || !strings.Contains(ps[0].Message, "drops") || ps[0].Fix == "" {
			t.Errorf("%s:\n%s", body, describeProblems(ps))
		}
	}
}

// TestValidateSeesTheBodyAsItIsNow guards against reusing what Prepare
// read: a body replaced after Prepare, by an edited copy or by another
// body, is checked as it is when Validate runs. (A Body is replaced, never
// changed in place: see hookbridge.OutboundRequest.)
func TestValidateSeesTheBodyAsItIsNow(t *testing.T) {
	in := New()
	req := newRequest("POST", DefaultURL, track)
	if err := in.Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	if ps := in.Validate(req, sc.Now); len(ps) != 0 {
		t.Fatalf("prepared track call has problems:\n%s", describeProblems(ps))
	}
	edited := bytes.Clone(req.Body)
	edited[bytes.Index(edited, []byte(`"userId"`))+1] = 'x' // "xserId": the call names nobody now
	req.Body = edited
	if ps := in.Validate(req, sc.Now); len(ps) != 1 || ps[0].Field != "userId" {
		t.Errorf("body replaced by an edited copy, problems:\n%s", describeProblems(ps))
	}
	req.Body = []byte(`{"userId":"u"}`)
	if ps := in.Validate(req, sc.Now); len(ps) != 1 || ps[0].Field != "event" {
		t.Errorf("body replaced, problems:\n%s", describeProblems(ps))
	}
}

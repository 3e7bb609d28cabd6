package hookbridge

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCapTextKeepsTheBeginningAndSaysWhatWasCut(t *testing.T) {
	if got := CapText("short", 100); got != "short" {
		t.Fatalf("a short text changed: %q", got)
	}
	long := strings.Repeat("é", 1000) // 2000 bytes
	got := CapText(long, 100)
	if len(got) > 100 || !utf8.ValidString(got) || !strings.HasSuffix(got, "… (truncated, 2000 bytes)") || !strings.HasPrefix(got, "éé") {
		t.Fatalf("capped: %q (%d bytes)", got, len(got))
	}
	if again := CapText(got, 100); again != got {
		t.Fatalf("capping twice changed the text: %q", again)
	}
}

func TestCapHeadersBoundsValuesAndCount(t *testing.T) {
	h := map[string]string{"X-Long": strings.Repeat("v", 1<<20)}
	for i := range 150 {
		h["X-"+strconv.Itoa(1000+i)] = "v"
	}
	got := CapHeaders(h)
	if len(got) != MaxRecordedHeaders {
		t.Fatalf("%d headers kept, want %d", len(got), MaxRecordedHeaders)
	}
	if got[TruncatedHeaders] != "(truncated, 52 more headers)" {
		t.Fatalf("the note on the headers left out: %q", got[TruncatedHeaders])
	}
	small := map[string]string{"A": "b"}
	if got := CapHeaders(small); len(got) != 1 || got["A"] != "b" {
		t.Fatalf("small headers changed: %v", got)
	}
	if got := CapHeaders(map[string]string{"X-Long": strings.Repeat("v", 1<<20)}); len(got["X-Long"]) > MaxRecordedHeaderValue {
		t.Fatalf("a header value of %d bytes was kept", len(got["X-Long"]))
	}
}

func TestAttemptCapBoundsEveryText(t *testing.T) {
	big := strings.Repeat("x", 1<<22)
	a := Attempt{
		Request:         RecordedRequest{Method: big, URL: big, Headers: map[string]string{"X": big}, Body: big},
		ResponseHeaders: map[string]string{"Y": big}, ResponseBody: big, Error: big,
	}
	a.Cap()
	for what, got := range map[string]string{
		"method": a.Request.Method, "url": a.Request.URL, "request header": a.Request.Headers["X"],
		"request body": a.Request.Body, "response header": a.ResponseHeaders["Y"], "response body": a.ResponseBody, "error": a.Error,
	} {
		if len(got) > MaxRecordedRequestBody || !strings.HasSuffix(got, "(truncated, 4194304 bytes)") {
			t.Errorf("%s: %d bytes, ends %q", what, len(got), got[max(0, len(got)-40):])
		}
	}
}

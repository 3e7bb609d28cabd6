package hookbridge

import (
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Limits on what attempts and deliveries keep of the texts that user code
// or a destination controls. Every text is cut to its limit by CapText,
// which says so at its end, so that one event can neither fill the disk nor
// make a page of deliveries huge.
const (
	// MaxRecordedBody is how much of a response body an attempt keeps.
	MaxRecordedBody = 20 << 10
	// MaxRecordedRequestBody is how much of the request body an attempt
	// keeps.
	MaxRecordedRequestBody = 64 << 10
	// MaxRecordedError bounds an attempt's error and a delivery's last
	// error.
	MaxRecordedError = 8 << 10
	// MaxRecordedURL bounds the URL of a recorded request.
	MaxRecordedURL = 8 << 10
	// MaxRecordedHeaderValue bounds each header value an attempt keeps, of
	// the request and of the response.
	MaxRecordedHeaderValue = 2 << 10
	// MaxRecordedHeaders is how many headers an attempt keeps of the
	// request and of the response; the rest are left out, and one entry
	// named TruncatedHeaders says how many.
	MaxRecordedHeaders = 100
	// maxRecordedMethod bounds a recorded request's method.
	maxRecordedMethod = 64
)

// TruncatedHeaders names the entry that stands for the headers a recording
// left out.
const TruncatedHeaders = "…"

// CapText returns s if it is at most limit bytes long; otherwise as much of
// its beginning as fits, cut between characters, followed by
// "… (truncated, N bytes)" where N is len(s). The result is never longer
// than limit (for a limit of 64 bytes or more), so capping twice changes
// nothing.
func CapText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return TruncatedText(s, limit, int64(len(s)))
}

// TruncatedText is CapText for a text of which s is only the beginning:
// size is the whole text's length in bytes.
func TruncatedText(s string, limit int, size int64) string {
	suffix := "… (truncated, " + strconv.FormatInt(size, 10) + " bytes)"
	keep := max(limit-len(suffix), 0)
	if keep >= len(s) {
		return s + suffix
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + suffix
}

// CapHeaders returns h with each value capped to MaxRecordedHeaderValue and
// at most MaxRecordedHeaders entries: those with the first names in sorted
// order, and one named TruncatedHeaders that says how many were left out.
// It returns h itself when nothing needs cutting.
func CapHeaders(h map[string]string) map[string]string {
	if len(h) <= MaxRecordedHeaders && !hasLongValue(h) {
		return h
	}
	names := slices.Sorted(maps.Keys(h))
	out := make(map[string]string, min(len(names), MaxRecordedHeaders))
	for i, k := range names {
		if i == MaxRecordedHeaders-1 && len(names) > MaxRecordedHeaders {
			out[TruncatedHeaders] = "(truncated, " + strconv.Itoa(len(names)-i) + " more headers)"
			break
		}
		out[CapText(k, MaxRecordedHeaderValue)] = CapText(h[k], MaxRecordedHeaderValue)
	}
	return out
}

func hasLongValue(h map[string]string) bool {
	for k, v := range h {
		if len(v) > MaxRecordedHeaderValue || len(k) > MaxRecordedHeaderValue {
			return true
		}
	}
	return false
}

// Cap bounds every text of the request, as attempts keep it.
func (r *RecordedRequest) Cap() {
	r.Method = CapText(r.Method, maxRecordedMethod)
	r.URL = CapText(r.URL, MaxRecordedURL)
	r.Headers = CapHeaders(r.Headers)
	r.Body = CapText(r.Body, MaxRecordedRequestBody)
}

// Cap bounds every text of the attempt to the limits above.
func (a *Attempt) Cap() {
	a.Request.Cap()
	a.ResponseHeaders = CapHeaders(a.ResponseHeaders)
	a.ResponseBody = CapText(a.ResponseBody, MaxRecordedBody)
	a.Error = CapText(a.Error, MaxRecordedError)
}

package httpapi

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/logctx"
)

// Observer is told what the server does, for metrics. *metrics.Metrics
// implements it.
type Observer interface {
	// HTTPRequest measures a request; route is the pattern it matched, or
	// "unmatched".
	HTTPRequest(route string, status int, d time.Duration)
	// MessageIngested counts a message accepted through the API ("api") or
	// a source ("source").
	MessageIngested(via string, duplicate bool)
	// APIRateLimited counts a call refused by the per-token rate limit.
	APIRateLimited()
}

type noObserver struct{}

func (noObserver) HTTPRequest(string, int, time.Duration) {}
func (noObserver) MessageIngested(string, bool)           {}
func (noObserver) APIRateLimited()                        {}

// RequestIDHeader carries the request id: taken from the request if the
// caller (a proxy) set a sensible one, generated otherwise, and always
// sent back.
const RequestIDHeader = "X-Request-Id"

// observe serves one request: it gives it a request id (in the answer's
// header and in every log line logged with its context), and measures and
// logs it. Only the path is logged, never the query (a portal link carries
// its secret there) or headers.
func (s *Server) observe(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r)
	w.Header().Set(RequestIDHeader, id)
	r = r.WithContext(logctx.With(r.Context(), "request_id", id))
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)

	elapsed := time.Since(start)
	route := r.Pattern
	if route == "" || route == "/" || route == "/api/" {
		route = "unmatched"
	}
	s.observer.HTTPRequest(route, sw.code(), elapsed)
	s.log.LogAttrs(r.Context(), requestLogLevel(route, sw.code()), "http request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
		slog.Int("status", sw.code()), slog.Duration("duration", elapsed))
}

// requestLogLevel is the level of a request's access log line. A busy
// server answers thousands of events a second, so accepted events, probes
// and unmatched paths are logged at debug level; management calls and
// refused events at info; server errors at warn. Every request is counted
// in the metrics whatever its level.
func requestLogLevel(route string, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelWarn
	case route == "GET /healthz" || route == "GET /readyz" || route == "GET /metrics" || route == "unmatched":
		return slog.LevelDebug
	case isIngestRoute(route) && status < 400:
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

func isIngestRoute(route string) bool {
	return route == "POST /ingest/{source}" || route == "POST /api/v1/apps/{app}/messages"
}

// requestID returns the caller's X-Request-Id if it is short and plain,
// or a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); validRequestID(id) {
		return id
	}
	return hookbridge.NewID("req")
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 100 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDOf returns the request id of a request being served.
func requestIDOf(r *http.Request) string {
	v, _ := logctx.Value(r.Context(), "request_id")
	return v.String()
}

// statusWriter remembers the status code of the answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = cmp.Or(w.status, code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.status = cmp.Or(w.status, http.StatusOK)
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ingestedVia names the way a message came in, for metrics.
func ingestedVia(sourceID string) string {
	if sourceID == "" {
		return "api"
	}
	return "source"
}

// serveMetrics serves the Prometheus metrics, behind the metrics token if
// one is set.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if s.metricsToken != "" && !bearerMatches(r, s.metricsToken) {
		return errorf(http.StatusUnauthorized, "unauthorized", "send the metrics token as: Authorization: Bearer <token>")
	}
	s.metrics.ServeHTTP(w, r)
	return nil
}

// bearerMatches reports, in constant time, whether the request carries
// secret as its bearer token.
func bearerMatches(r *http.Request, secret string) bool {
	scheme, given, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(given))), sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

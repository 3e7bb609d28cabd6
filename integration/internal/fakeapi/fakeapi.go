package fakeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBody is the most a fake reads of a request body; more is answered 413
// before any handler sees it.
const maxBody = 8 << 20

// Request is one request a fake received, and how it answered.
type Request struct {
	Method string
	// Path is the URL path as received.
	Path string
	// Host is the Host header: the real API host (such as
	// "track.customer.io") when the request came through Server.Client.
	Host   string
	Header http.Header
	Body   []byte
	// JSON is the decoded body, nil if it is not JSON.
	JSON any
	// Status is the status code the fake answered with.
	Status   int
	Received time.Time
}

// Response is what a handler answers.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Handler decides the answer to a request whose body has been read.
type Handler func(r *http.Request, body []byte) Response

// Config tunes a Server.
type Config struct {
	// Latency delays every answer (cut short if the client gives up).
	Latency time.Duration
	// RateLimitHeaders, if set, adds headers to injected 429 answers,
	// besides Retry-After.
	RateLimitHeaders func(retryAfter time.Duration, now time.Time) http.Header
}

// fault is one injected answer.
type fault struct {
	kind       faultKind
	status     int
	retryAfter time.Duration
	header     http.Header
	body       []byte
}

// faultKind is how an injected fault answers.
type faultKind int

const (
	// faultStatus answers with a status (and headers).
	faultStatus faultKind = iota
	// faultHang never answers: it holds the request until the client
	// gives up.
	faultHang
	// faultReset drops the connection without an answer (a TCP reset).
	faultReset
)

// Server is a recording HTTP server on 127.0.0.1.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port.
	URL string

	srv    *httptest.Server
	handle Handler
	cfg    Config

	mu       sync.Mutex
	requests []Request
	faults   []fault
}

// Start starts a server that answers with handle.
func Start(cfg Config, handle Handler) *Server {
	s := &Server{handle: handle, cfg: cfg}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() { s.srv.Close() }

// Requests returns every request received so far, in the order they were
// answered.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// FailNext makes the next n requests fail with status, before any other
// check.
func (s *Server) FailNext(n int, status int) {
	s.inject(n, fault{status: status})
}

// RateLimitNext makes the next n requests fail with 429 Too Many Requests
// and a Retry-After of retryAfter (whole seconds, rounded up).
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	s.inject(n, fault{status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// RateLimitNextWith is RateLimitNext with the tool's own headers and
// body (a JSON error naming the limit), besides Retry-After.
func (s *Server) RateLimitNextWith(n int, retryAfter time.Duration, header http.Header, body []byte) {
	s.inject(n, fault{status: http.StatusTooManyRequests, retryAfter: retryAfter, header: header, body: body})
}

// RespondNext makes the next n requests answer status with the given
// headers (such as webhook-delivery: abort-message) and body, before any
// other check. An empty body is the status text.
func (s *Server) RespondNext(n int, status int, header http.Header, body []byte) {
	s.inject(n, fault{status: status, header: header, body: body})
}

// HangNext makes the next n requests get no answer at all: each is held
// until the client gives up (its timeout). It is recorded with status 0.
func (s *Server) HangNext(n int) {
	s.inject(n, fault{kind: faultHang})
}

// ResetNext makes the next n requests lose their connection (a TCP reset)
// after the request was read, without an answer. Each is recorded with
// status 0.
func (s *Server) ResetNext(n int) {
	s.inject(n, fault{kind: faultReset})
}

func (s *Server) inject(n int, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

func (s *Server) nextFault() (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// Client returns an HTTP client that sends every request to this server,
// whatever its URL, keeping the original host in the Host header: a
// request prepared for https://track.customer.io/api/v2/entity arrives
// here as POST /api/v2/entity with Host track.customer.io.
func (s *Server) Client() *http.Client {
	target, _ := url.Parse(s.URL)
	return &http.Client{Transport: reroute{target: target, base: s.srv.Client().Transport}}
}

type reroute struct {
	target *url.URL
	base   http.RoundTripper
}

func (rt reroute) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	if out.Host == "" {
		out.Host = r.URL.Host
	}
	out.URL.Scheme, out.URL.Host = rt.target.Scheme, rt.target.Host
	return rt.base.RoundTrip(out)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Read the body first: only then does the server notice a client that
	// gives up while the answer is delayed.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if !s.wait(r) {
		return
	}
	f, faulty := s.nextFault()
	switch {
	case faulty && f.kind == faultHang:
		s.record(r, body, 0)
		<-r.Context().Done()
		return
	case faulty && f.kind == faultReset:
		s.record(r, body, 0)
		resetConnection(w)
		return
	}
	var resp Response
	switch {
	case err != nil:
		resp = Response{Status: http.StatusBadRequest, Body: []byte("cannot read body")}
	case len(body) > maxBody:
		resp = Response{Status: http.StatusRequestEntityTooLarge}
	case faulty:
		resp = s.faultResponse(f)
	default:
		resp = s.handle(r, body)
	}
	s.record(r, body, resp.Status)
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// wait applies the configured latency; false means the client gave up.
func (s *Server) wait(r *http.Request) bool {
	if s.cfg.Latency <= 0 {
		return true
	}
	timer := time.NewTimer(s.cfg.Latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// resetConnection closes the request's connection so that the client sees
// a reset rather than an answer.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakeapi: the response writer cannot hijack the connection")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}

func (s *Server) faultResponse(f fault) Response {
	resp := Response{Status: f.status, Header: http.Header{}, Body: f.body}
	if len(resp.Body) == 0 {
		resp.Body = []byte(http.StatusText(f.status))
	}
	for k, vs := range f.header {
		resp.Header[k] = vs
	}
	if f.status == http.StatusTooManyRequests {
		secs := int64((f.retryAfter + time.Second - 1) / time.Second)
		resp.Header.Set("Retry-After", strconv.FormatInt(secs, 10))
		if s.cfg.RateLimitHeaders != nil {
			for k, vs := range s.cfg.RateLimitHeaders(f.retryAfter, time.Now()) {
				resp.Header[k] = vs
			}
		}
	}
	return resp
}

func (s *Server) record(r *http.Request, body []byte, status int) {
	var decoded any
	if json.Valid(body) {
		_ = json.NewDecoder(bytes.NewReader(body)).Decode(&decoded)
	}
	req := Request{
		Method: r.Method, Path: r.URL.Path, Host: r.Host, Header: r.Header.Clone(),
		Body: body, JSON: decoded, Status: status, Received: time.Now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// JSONResponse encodes v as a JSON answer.
func JSONResponse(status int, v any) Response {
	body, err := json.Marshal(v)
	if err != nil {
		return Response{Status: http.StatusInternalServerError, Body: []byte(err.Error())}
	}
	return Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// TextResponse is a plain-text answer.
func TextResponse(status int, text string) Response {
	return Response{Status: status, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, Body: []byte(text)}
}

// IsJSONContentType reports whether a Content-Type header names JSON
// (application/json, with or without parameters).
func IsJSONContentType(v string) bool {
	mediaType, _, err := mime.ParseMediaType(v)
	return err == nil && mediaType == "application/json"
}

// RequestHost returns the lower-cased host name a request was sent to,
// without its port; "" when it was sent to the fake's own loopback
// address (a client that routes by address, such as the dispatcher's host
// overrides, rather than through Client).
func RequestHost(r *http.Request) string {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" || net.ParseIP(host) != nil {
		return ""
	}
	return host
}

// OtherHost reports whether r was sent to a named host that is not one of
// hosts (see RequestHost: the loopback address is taken as theirs).
func OtherHost(r *http.Request, hosts ...string) bool {
	host := RequestHost(r)
	return host != "" && !slices.Contains(hosts, host)
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// The sink is the destination: it answers as Segment does ({"success":
// true}) on every path, and notes when each event arrives. Events are told
// apart by a marker the load generator puts in the payment id of each
// event, which both the raw webhook body and the Segment call built from
// it carry (see eventMarker).

// eventMarker starts the payment id of every event the tool sends; the run
// id and the event's number follow, separated by underscores.
const eventMarker = "pay_bench_"

// maxSinkBody bounds what the sink reads of a request.
const maxSinkBody = 1 << 20

var segmentAnswer = []byte(`{"success":true}`)

// arrival is one event reaching one endpoint.
type arrival struct {
	event    int
	endpoint string // the request path: one per endpoint
	at       time.Time
}

// sink is a local HTTP server that records arrivals.
type sink struct {
	runID string
	srv   *http.Server
	ln    net.Listener

	mu       sync.Mutex
	arrivals []arrival
	seen     map[arrivalKey]bool
	dups     int
	unknown  int
}

type arrivalKey struct {
	event    int
	endpoint string
}

// startSink listens on addr (host:port; port 0 picks a free one).
func startSink(addr, runID string) (*sink, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sink: listen on %s: %w", addr, err)
	}
	s := &sink{runID: runID, ln: ln, seen: map[arrivalKey]bool{}}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "hookbridge-bench: sink stopped: %v\n", err)
		}
	}()
	return s, nil
}

// URL is the sink's base URL.
func (s *sink) URL() string { return "http://" + s.ln.Addr().String() }

func (s *sink) close(ctx context.Context) error { return s.srv.Shutdown(ctx) }

func (s *sink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSinkBody))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	s.record(body, r.URL.Path, at)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(segmentAnswer)
}

// record notes every event of this run in body (a batch may hold several).
func (s *sink) record(body []byte, endpoint string, at time.Time) {
	prefix := []byte(eventMarker + s.runID + "_")
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for {
		i := bytes.Index(body, prefix)
		if i < 0 {
			break
		}
		body = body[i+len(prefix):]
		n, rest := leadingNumber(body)
		body = rest
		if n < 0 {
			continue
		}
		found = true
		key := arrivalKey{n, endpoint}
		if s.seen[key] {
			s.dups++
			continue
		}
		s.seen[key] = true
		s.arrivals = append(s.arrivals, arrival{event: n, endpoint: endpoint, at: at})
	}
	if !found {
		s.unknown++
	}
}

// leadingNumber parses the decimal number at the start of b, or returns -1.
func leadingNumber(b []byte) (int, []byte) {
	end := 0
	for end < len(b) && end < 12 && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	if end == 0 {
		return -1, b
	}
	n, err := strconv.Atoi(string(b[:end]))
	if err != nil {
		return -1, b[end:]
	}
	return n, b[end:]
}

// delivered returns how many distinct (event, endpoint) arrivals the sink
// has seen.
func (s *sink) delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.arrivals)
}

// snapshot returns a copy of the arrivals and the counts of duplicates
// and of requests without an event of this run.
func (s *sink) snapshot() (arrivals []arrival, dups, unknown int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]arrival(nil), s.arrivals...), s.dups, s.unknown
}

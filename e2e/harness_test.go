package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/node"
)

const adminToken = "hbk_e2e-admin-token-0123456789"

// fastRetries keeps the platform schedule's shape at test speed.
var fastRetries = delivery.RetryPolicy{
	Schedule: []time.Duration{0, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond},
	Jitter:   -1,
}

// harness is one hookbridge node on loopback with fake destinations.
type harness struct {
	t       *testing.T
	dataDir string
	url     string
	node    *node.Node
	stop    func()
	segment *segmenttest.Server
	cio     *customeriotest.Server
}

type option func(*node.Config)

func withDataDir(dir string) option { return func(c *node.Config) { c.DataDir = dir } }

func withRetry(p delivery.RetryPolicy) option { return func(c *node.Config) { c.Retry = p } }

func withShutdownGrace(d time.Duration) option { return func(c *node.Config) { c.ShutdownGrace = d } }

func withRequestTimeout(d time.Duration) option { return func(c *node.Config) { c.RequestTimeout = d } }

// newFakes starts fake Segment and Customer.io servers for a test.
func newFakes(t *testing.T) (*segmenttest.Server, *customeriotest.Server) {
	return segmenttest.New(t), customeriotest.New(t)
}

// start runs a node whose Customer.io and Segment hosts are overridden to
// the fakes.
func start(t *testing.T, seg *segmenttest.Server, cio *customeriotest.Server, opts ...option) *harness {
	t.Helper()
	overrides := map[string]*url.URL{}
	for _, host := range []string{"api.segment.io", "events.eu1.segmentapis.com"} {
		overrides[host] = mustURL(t, seg.URL)
	}
	for _, host := range []string{"track.customer.io", "track-eu.customer.io"} {
		overrides[host] = mustURL(t, cio.URL)
	}
	cfg := node.Config{
		DataDir:       t.TempDir(),
		AdminToken:    adminToken,
		HostOverrides: overrides,
		LoopbackOnly:  true,
		Retry:         fastRetries,
		PollInterval:  20 * time.Millisecond,
		ShutdownGrace: 2 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n, err := node.Open(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("open node: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln) }()
	h := &harness{t: t, dataDir: cfg.DataDir, url: "http://" + ln.Addr().String(), node: n, segment: seg, cio: cio}
	stopped := false
	h.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("node run: %v", err)
		}
		n.Close()
	}
	t.Cleanup(h.stop)
	return h
}

func mustURL(t *testing.T, raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// call makes an API request with the admin token and decodes the answer
// into out (if not nil). It returns the status.
func (h *harness) call(method, path string, body any, out any) int {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			h.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

// mustCall is call that fails the test on an unexpected status.
func (h *harness) mustCall(method, path string, body any, want int, out any) {
	h.t.Helper()
	var raw json.RawMessage
	if got := h.call(method, path, body, &raw); got != want {
		h.t.Fatalf("%s %s = %d, want %d: %s", method, path, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			h.t.Fatal(err)
		}
	}
}

type endpointView struct {
	ID               string            `json:"id"`
	Credentials      map[string]string `json:"credentials"`
	GeneratedSecrets map[string]string `json:"generated_secrets"`
	Version          int               `json:"version"`
}

func (h *harness) createEndpoint(body map[string]any) endpointView {
	h.t.Helper()
	var ep endpointView
	h.mustCall("POST", "/api/v1/apps/default/endpoints", body, http.StatusCreated, &ep)
	return ep
}

type messageAnswer struct {
	ID        string `json:"id"`
	Duplicate bool   `json:"duplicate"`
}

func (h *harness) postMessage(eventType string, payload json.RawMessage, eventID string) messageAnswer {
	h.t.Helper()
	var ans messageAnswer
	h.mustCall("POST", "/api/v1/apps/default/messages",
		map[string]any{"event_type": eventType, "payload": payload, "event_id": eventID}, http.StatusAccepted, &ans)
	return ans
}

// waitDeliveries waits until every delivery of the message is final and
// returns them.
func (h *harness) waitDeliveries(msgID string) []hookbridge.Delivery {
	h.t.Helper()
	return h.waitDeliveriesWithin(msgID, 30*time.Second)
}

// waitDeliveriesWithin is waitDeliveries with a bound of its own.
func (h *harness) waitDeliveriesWithin(msgID string, bound time.Duration) []hookbridge.Delivery {
	h.t.Helper()
	deadline := time.Now().Add(bound)
	for {
		var msg struct {
			Deliveries []hookbridge.Delivery `json:"deliveries"`
		}
		h.mustCall("GET", "/api/v1/apps/default/messages/"+msgID, nil, http.StatusOK, &msg)
		final := len(msg.Deliveries) > 0
		for _, d := range msg.Deliveries {
			if d.Status == hookbridge.DeliveryPending {
				final = false
			}
		}
		if final {
			return msg.Deliveries
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("deliveries of %s not final after %v: %+v", msgID, bound, msg.Deliveries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) attempts(deliveryID string) []hookbridge.Attempt {
	h.t.Helper()
	var out struct {
		Data []hookbridge.Attempt `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/deliveries/"+deliveryID+"/attempts", nil, http.StatusOK, &out)
	return out.Data
}

// sample returns the catalogue's sample of an event type, decoded.
func sample(t *testing.T, eventType string) (json.RawMessage, map[string]any) {
	t.Helper()
	et, ok := catalog.Lookup(eventType)
	if !ok {
		t.Fatalf("no sample for %s", eventType)
	}
	var m map[string]any
	if err := json.Unmarshal(et.Sample, &m); err != nil {
		t.Fatal(err)
	}
	return et.Sample, m
}

// path digs into decoded JSON: path(m, "data", "customer", "email").
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// template finds an integration's template by a predicate.
func template(t *testing.T, integration string, match func(hookbridge.Template) bool) hookbridge.Template {
	t.Helper()
	for _, in := range integrations() {
		if in.Info().ID != integration {
			continue
		}
		for _, tpl := range in.Info().Templates {
			if match(tpl) {
				return tpl
			}
		}
	}
	t.Fatalf("no matching %s template", integration)
	return hookbridge.Template{}
}

func jsonEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	gs, _ := json.MarshalIndent(gv, "", "  ")
	ws, _ := json.MarshalIndent(wv, "", "  ")
	if !bytes.Equal(gs, ws) {
		t.Fatalf("%s:\n got %s\nwant %s", what, gs, ws)
	}
}

func fmtAmount(minor float64) string { return fmt.Sprintf("%.2f", minor/100) }

func withAllowPrivate() option { return func(c *node.Config) { c.AllowPrivate = true } }

func integrations() []hookbridge.Integration { return builtin.All() }

func templateByID(t *testing.T, integration, id string) hookbridge.Template {
	t.Helper()
	return template(t, integration, func(tpl hookbridge.Template) bool { return tpl.ID == id })
}

// message fetches a message with its deliveries.
func (h *harness) message(id string) (hookbridge.Message, []hookbridge.Delivery) {
	h.t.Helper()
	var msg struct {
		hookbridge.Message
		Deliveries []hookbridge.Delivery `json:"deliveries"`
	}
	h.mustCall("GET", "/api/v1/apps/default/messages/"+id, nil, http.StatusOK, &msg)
	return msg.Message, msg.Deliveries
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// headerOrBody reads a top-level string field of a JSON body.
func headerOrBody(body []byte, field string) string {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	s, _ := m[field].(string)
	return s
}

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/node"
)

// echoServer is a destination that answers every request with the request
// itself, as many debugging endpoints do: each request header comes back
// as a response header (X-Echo-…, and Authorization as it is) and, with
// the URL and the body, in the body, Authorization first. It answers 400,
// so that the start of the body also becomes the delivery's error.
type echoServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newEchoServer(t *testing.T) *echoServer {
	e := &echoServer{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body strings.Builder
		fmt.Fprintf(&body, "Authorization: %s\n", r.Header.Get("Authorization"))
		for k, v := range r.Header {
			w.Header()["X-Echo-"+k] = v
		}
		w.Header().Set("Authorization", r.Header.Get("Authorization"))
		raw, _ := json.Marshal(map[string]any{"url": r.URL.String(), "headers": r.Header})
		body.Write(raw)
		buf := make([]byte, 1<<16)
		n, _ := r.Body.Read(buf)
		body.Write(buf[:n])
		e.mu.Lock()
		e.seen = append(e.seen, body.String())
		e.mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(body.String()))
	}))
	t.Cleanup(e.Close)
	return e
}

// received reports whether a request the echo answered held text.
func (e *echoServer) received(text string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.ContainsFunc(e.seen, func(s string) bool { return strings.Contains(s, text) })
}

// withHostOverride sends the requests for an integration's API host to
// target instead.
func withHostOverride(host, target string) option {
	return func(c *node.Config) {
		u, _ := url.Parse(target)
		c.HostOverrides[host] = u
	}
}

// TestEchoedSecretsAreMasked sends to destinations that echo every request
// back — a webhook with secret headers, Customer.io and Segment with their
// credentials — and looks for every secret, as it is and in its Base64 and
// Basic forms, in every answer of the API: the endpoints, the deliveries,
// their attempts (request, response headers and body, error) and tests of
// transformations sent for real.
func TestEchoedSecretsAreMasked(t *testing.T) {
	eachStore(t, func(t *testing.T, opts ...option) {
		echo := newEchoServer(t)
		seg, cio := newFakes(t)
		opts = append(opts, withAllowPrivate(),
			withHostOverride("track.customer.io", echo.URL), withHostOverride("api.segment.io", echo.URL))
		h := start(t, seg, cio, opts...)
		secrets := map[string]string{
			"customer.io api key":  "cio-echo-key-" + randomText(t),
			"segment write key":    "seg-echo-key-" + randomText(t),
			"authorization header": "wh-bearer-" + randomText(t),
			"api key header":       "wh-apikey-" + randomText(t),
			"header marked secret": "wh-marked-" + randomText(t),
		}
		rec := &answers{h: h}
		app := "/api/v1/apps/default"
		cioCreds := map[string]string{"site_id": customeriotest.SiteID, "api_key": secrets["customer.io api key"]}
		segCreds := map[string]string{"write_key": secrets["segment write key"]}
		headers := map[string]string{
			"Authorization": "Bearer " + secrets["authorization header"], "X-Api-Key": secrets["api key header"],
			"X-Custom": secrets["header marked secret"], "X-Team": "growth",
		}
		rec.call(adminToken, "POST", app+"/endpoints", map[string]any{"integration": "customerio", "template": "payment-completed", "credentials": cioCreds})
		rec.call(adminToken, "POST", app+"/endpoints", map[string]any{"integration": "segment", "template": "payment-events", "credentials": segCreds})
		var webhook endpointView
		rec.call(adminToken, "POST", app+"/endpoints", map[string]any{"url": echo.URL + "/hook", "headers": headers,
			"secret_headers": []string{"X-Custom"}}).decode(t, &webhook)
		rec.call(adminToken, "PATCH", app+"/endpoints/"+webhook.ID, map[string]any{"headers": map[string]string{"X-Team": "ops"}})

		body, _ := sample(t, "payment.succeeded")
		msg := h.postMessage("payment.succeeded", body, "evt_echo")
		deliveries := h.waitDeliveries(msg.ID)
		if len(deliveries) != 3 {
			t.Fatalf("%d deliveries, want 3", len(deliveries))
		}
		for _, test := range []map[string]any{
			{"integration": "customerio", "template": "payment-completed", "credentials": cioCreds},
			{"integration": "segment", "template": "payment-events", "credentials": segCreds},
			{"url": echo.URL + "/test", "headers": headers, "secret_headers": []string{"X-Custom"}},
		} {
			test["event_type"], test["send"] = "payment.succeeded", true
			rec.call(adminToken, "POST", app+"/transformations/test", test)
		}
		rec.call(adminToken, "GET", app+"/messages/"+msg.ID, nil)
		rec.call(adminToken, "GET", app+"/deliveries", nil)
		rec.call(adminToken, "GET", app+"/endpoints", nil)
		for _, d := range deliveries {
			a := rec.call(adminToken, "GET", app+"/deliveries/"+d.ID+"/attempts", nil)
			if !strings.Contains(string(a.body), "X-Echo-") {
				t.Fatalf("the attempts of %s hold no echoed header: %s", d.ID, a.body)
			}
		}

		// The destinations got the secrets: otherwise finding none proves
		// nothing. The header left out of the PATCH was kept.
		for name, secret := range secrets {
			if !echo.received(secret) && !slices.ContainsFunc(secretForms(secret), echo.received) {
				t.Fatalf("the echo never received the %s", name)
			}
		}
		for name, secret := range secrets {
			for _, a := range rec.seen {
				if where := findAny(a.text, secretForms(secret)); where != "" {
					t.Errorf("the %s appears in the answer to %s: …%s…", name, a.label, where)
				}
			}
		}
	})
}

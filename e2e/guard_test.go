package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/node"
)

func withAllowedCIDRs(cidrs ...string) option {
	return configure(func(c *node.Config) {
		for _, s := range cidrs {
			c.AllowCIDRs = append(c.AllowCIDRs, netip.MustParsePrefix(s))
		}
	})
}

// deliverTo posts an event to a new webhook endpoint at url and returns
// its delivery once final.
func deliverTo(t *testing.T, h *harness, url string) hookbridge.Delivery {
	t.Helper()
	ep := h.createEndpoint(map[string]any{"url": url, "event_types": []string{"payment.failed"}})
	defer h.mustAs(adminToken, "DELETE", "/api/v1/apps/default/endpoints/"+ep.ID, nil, http.StatusNoContent)
	payload, _ := sample(t, "payment.failed")
	for _, d := range h.waitDeliveries(h.postMessage("payment.failed", payload, "").ID) {
		if d.EndpointID == ep.ID {
			return d
		}
	}
	t.Fatal("no delivery to the new endpoint")
	return hookbridge.Delivery{}
}

// TestDestinationGuardEndToEnd: a name that resolves to a loopback
// address is refused like the address itself; HOOKBRIDGE_ALLOWED_CIDRS
// opens exactly its ranges for a self-hosted destination; and a redirect
// from an allowed destination to a forbidden one (a cloud metadata
// address) is refused.
func TestDestinationGuardEndToEnd(t *testing.T) {
	var hits atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/to-metadata" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(receiver.Close)
	port := receiver.URL[strings.LastIndex(receiver.URL, ":"):]
	seg, cio := newFakes(t)

	closed := start(t, seg, cio)
	d := deliverTo(t, closed, "http://localhost"+port+"/hooks")
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "HOOKBRIDGE_ALLOW") {
		t.Errorf("a name resolving to loopback: %s %q, want refused", d.Status, d.LastError)
	}
	if hits.Load() != 0 {
		t.Fatal("the loopback receiver was reached")
	}

	open := start(t, seg, cio, withAllowedCIDRs("127.0.0.0/8", "::1/128"))
	if d := deliverTo(t, open, "http://localhost"+port+"/hooks"); d.Status != hookbridge.DeliverySucceeded {
		t.Errorf("an allowed range: %s %q, want delivered", d.Status, d.LastError)
	}
	hitsBefore := hits.Load()
	d = deliverTo(t, open, receiver.URL+"/to-metadata")
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "169.254.169.254") {
		t.Errorf("a redirect to the metadata address: %s %q, want refused", d.Status, d.LastError)
	}
	if hits.Load() != hitsBefore+1 {
		t.Errorf("the receiver got %d requests, want the 1 that redirected", hits.Load()-hitsBefore)
	}
}

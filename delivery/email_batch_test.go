package delivery_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
	"github.com/hookbridge/hookbridge/netguard"
)

// resendRig is the rig with its dispatcher also reaching a fake Resend.
func resendRig(t *testing.T) (*rig, *resendtest.Server) {
	r := newRig(t)
	fake := resendtest.New(t)
	r.sender = &delivery.Sender{
		Client: netguard.NewClient(netguard.Config{AllowPrivate: true,
			HostOverrides: map[string]*url.URL{"api.resend.com": mustURL(t, fake.URL)}}),
		Timeout: 5 * time.Second,
	}
	r.d = delivery.New(r.store, r.planner, r.sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock}, nil)
	return r, fake
}

// Three receipts due together go to Resend as one permissive batch; the
// one whose sender Resend refuses fails alone, the others are sent.
func TestResendPartialBatchFailsOnlyTheRefusedEmail(t *testing.T) {
	r, fake := resendRig(t)
	code := strings.Replace(template(t, "resend", "resend-payment-receipt"), "from: FROM,",
		`from: p.customer.customer_id === "cus_bad" ? "Billing <billing@unverified.dev>" : FROM,`, 1)
	if !strings.Contains(code, "cus_bad") {
		t.Fatal("the receipt template no longer sets from: FROM")
	}
	e := r.endpoint(&hookbridge.Endpoint{Integration: "resend", Credentials: fake.Credentials(), Batching: true,
		Transformation: hookbridge.Transformation{Code: code, Enabled: true}, EventTypes: []string{"payment.succeeded"}})
	msgs := []*hookbridge.Message{r.post("cus_a"), r.post("cus_bad"), r.post("cus_c")}
	r.run()

	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/emails/batch" || reqs[0].Header.Get("Idempotency-Key") == "" {
		t.Fatalf("Resend got %d requests, want one batch with an Idempotency-Key", len(reqs))
	}
	if n := len(fake.Sent()); n != 2 {
		t.Fatalf("Resend sent %d emails, want 2", n)
	}
	for i, m := range msgs {
		d := r.deliveryOf(m, e)
		atts := r.attempts(d)
		if len(atts) != 1 || atts[0].Batch == nil || atts[0].Batch.Index != i {
			t.Fatalf("delivery %d attempts %+v, want one at batch index %d", i, atts, i)
		}
		if i == 1 {
			if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "unverified.dev domain is not verified") {
				t.Errorf("the refused email: %+v, want failed with Resend's reason", d)
			}
			continue
		}
		if d.Status != hookbridge.DeliverySucceeded {
			t.Errorf("email %d: %s (%q), want succeeded", i, d.Status, d.LastError)
		}
	}
}

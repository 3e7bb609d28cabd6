package delivery_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/loops/loopstest"
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

// A receipt whose first attempt failed is retried with the same
// Idempotency-Key: had Resend sent the first, it would not send again.
func TestResendRetryCarriesTheSameKey(t *testing.T) {
	r, fake := resendRig(t)
	e := r.endpoint(&hookbridge.Endpoint{Integration: "resend", Credentials: fake.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(t, "resend", "resend-payment-receipt"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}})
	m := r.post("")
	fake.FailNext(1, 500)
	r.run()
	r.clock.Advance(time.Minute)
	r.run()
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("Resend got %d requests, want 2", len(reqs))
	}
	first, second := reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key")
	if first == "" || first != second {
		t.Fatalf("keys %q and %q, want the same", first, second)
	}
	if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded || len(fake.Sent()) != 1 {
		t.Fatalf("delivery %s, %d sent", d.Status, len(fake.Sent()))
	}
}

// loseFirstAnswer sends every request on, and loses the answer to the
// first: the destination acted on it, the dispatcher never heard.
type loseFirstAnswer struct {
	base delivery.Doer
	lost atomic.Bool
}

func (l *loseFirstAnswer) Do(req *http.Request) (*http.Response, error) {
	resp, err := l.base.Do(req)
	if err == nil && l.lost.CompareAndSwap(false, true) {
		resp.Body.Close()
		return nil, errors.New("connection reset after the request was sent")
	}
	return resp, err
}

// A Loops email whose answer was lost is retried with the same key; Loops
// answers 409 and sends nothing, and the delivery counts as delivered.
func TestLoopsLostAnswerIsDeliveredOnce(t *testing.T) {
	r := newRig(t)
	fake := loopstest.New(t, loopstest.WithTransactional("REPLACE_WITH_RECEIPT_TRANSACTIONAL_ID", "amount"))
	client := netguard.NewClient(netguard.Config{AllowPrivate: true,
		HostOverrides: map[string]*url.URL{"app.loops.so": mustURL(t, fake.URL)}})
	r.sender = &delivery.Sender{Client: &loseFirstAnswer{base: client}, Timeout: 5 * time.Second}
	r.d = delivery.New(r.store, r.planner, r.sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock}, nil)
	e := r.endpoint(&hookbridge.Endpoint{Integration: "loops", Credentials: fake.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(t, "loops", "loops-payment-receipt"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}})
	m := r.post("")
	r.run()
	r.clock.Advance(time.Minute)
	r.run()
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[1].Status != http.StatusConflict {
		t.Fatalf("Loops got %d requests (want 2, the second answered 409)", len(reqs))
	}
	d := r.deliveryOf(m, e)
	if d.Status != hookbridge.DeliverySucceeded || len(fake.Emails()) != 1 {
		t.Fatalf("delivery %s (%q), %d emails sent; want succeeded and one email", d.Status, d.LastError, len(fake.Emails()))
	}
}

// A Resend email whose answer was lost is retried with the same key;
// Resend replays its first answer and sends no second email.
func TestResendLostAnswerIsSentOnce(t *testing.T) {
	r, fake := resendRig(t)
	client := netguard.NewClient(netguard.Config{AllowPrivate: true,
		HostOverrides: map[string]*url.URL{"api.resend.com": mustURL(t, fake.URL)}})
	r.sender = &delivery.Sender{Client: &loseFirstAnswer{base: client}, Timeout: 5 * time.Second}
	r.d = delivery.New(r.store, r.planner, r.sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock}, nil)
	e := r.endpoint(&hookbridge.Endpoint{Integration: "resend", Credentials: fake.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(t, "resend", "resend-payment-receipt"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}})
	m := r.post("")
	r.run()
	r.clock.Advance(time.Minute)
	r.run()
	if reqs := fake.Requests(); len(reqs) != 2 || reqs[1].Status != http.StatusOK {
		t.Fatalf("Resend got %d requests, want 2 (the second replayed)", len(reqs))
	}
	if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded || len(fake.Sent()) != 1 {
		t.Fatalf("delivery %s, %d emails sent; want succeeded and one email", d.Status, len(fake.Sent()))
	}
}

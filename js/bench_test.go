package js

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// The benchmarks run each spec handler on a compact payment.succeeded or
// subscription.active event of about 1.5 KB, with a pooled runtime, beside
// BenchmarkPlainGo… doing the equivalent work in plain Go (decode the event,
// build the result, encode it), so that the cost of the sandbox reads off
// one run: go test -run x -bench . -benchtime 2000x ./js/

func benchmarkHandler(b *testing.B, handler, event string) {
	sb := New(Options{})
	code := readHandler(b, handler)
	eventType, payload := readEvent(b, event)
	in := hookbridge.TransformInput{EventType: eventType, Payload: compactJSON(b, payload), URL: "https://hooks.example.com/in"}
	ctx := context.Background()
	if _, err := sb.Transform(ctx, handler, code, in); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in.Payload)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := sb.Transform(ctx, handler, code, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTransformCustomerioPaymentSucceeded(b *testing.B) {
	benchmarkHandler(b, "customerio-payment-succeeded.js", "payment_succeeded.json")
}

func BenchmarkTransformCustomerioCustomerAttributes(b *testing.B) {
	benchmarkHandler(b, "customerio-customer-attributes.js", "payment_succeeded.json")
}

func BenchmarkTransformCustomerioSubscriptionLifecycle(b *testing.B) {
	benchmarkHandler(b, "customerio-subscription-lifecycle.js", "subscription_active.json")
}

func BenchmarkTransformSegmentPaymentSucceeded(b *testing.B) {
	benchmarkHandler(b, "segment-payment-succeeded.js", "payment_succeeded.json")
}

func BenchmarkTransformSegmentIdentifyCustomer(b *testing.B) {
	benchmarkHandler(b, "segment-identify-customer.js", "payment_succeeded.json")
}

func BenchmarkTransformSegmentSubscriptionLifecycle(b *testing.B) {
	benchmarkHandler(b, "segment-subscription-lifecycle.js", "subscription_active.json")
}

// BenchmarkSideBySide runs a spec handler and its plain Go equivalent
// alternately, one call of each per iteration, and reports each one's time
// per call and their ratio, by the clock and (on Linux) by the CPU time
// the process used. Interleaving them means that whatever else the
// machine is doing slows both alike; the CPU time leaves out the waiting
// that a busy machine adds. Each handler is measured twice: through
// Transform ("transform"), and called in place on the benchmark's own
// goroutine ("in-place"), which leaves out the hand-over to a goroutine
// that a stuck run can be abandoned on. Nothing is asserted: the numbers
// are for docs/benchmarks.md.
func BenchmarkSideBySide(b *testing.B) {
	for _, c := range sideBySideCases(b) {
		b.Run(c.handler+"/transform", func(b *testing.B) {
			compareWithPlain(b, c.plain, c.transform(New(Options{})))
		})
		b.Run(c.handler+"/in-place", func(b *testing.B) {
			compareWithPlain(b, c.plain, inPlaceCall(b, c.code, c.in))
		})
	}
}

// BenchmarkSideBySideParallel is BenchmarkSideBySide's Transform with
// every processor busy, as in a dispatcher under load: one goroutine per
// processor, each alternating a handler call and its plain Go equivalent.
// With no processor idle, handing a run to a goroutine of its own wakes no
// other thread, which is what the hand-over costs in the one-goroutine
// benchmark on more than one processor.
func BenchmarkSideBySideParallel(b *testing.B) {
	for _, c := range sideBySideCases(b) {
		b.Run(c.handler+"/transform", func(b *testing.B) {
			sb := New(Options{})
			compareWithPlainParallel(b, c.plain, func() func() { return c.transform(sb) })
		})
		b.Run(c.handler+"/in-place", func(b *testing.B) {
			compareWithPlainParallel(b, c.plain, func() func() { return inPlaceCall(b, c.code, c.in) })
		})
	}
}

// compareWithPlainParallel is compareWithPlain by the clock on one
// goroutine per processor; newJS gives each goroutine its handler call.
func compareWithPlainParallel(b *testing.B, plain func(), newJS func() func()) {
	var jsTime, plainTime, calls atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		js := newJS()
		for pb.Next() {
			jsTime.Add(int64(clockTime(js)))
			plainTime.Add(int64(clockTime(plain)))
			calls.Add(1)
		}
	})
	if n := calls.Load(); n > 0 {
		b.ReportMetric(float64(jsTime.Load())/float64(n), "js-ns/op")
		b.ReportMetric(float64(plainTime.Load())/float64(n), "plain-ns/op")
		b.ReportMetric(float64(jsTime.Load())/float64(plainTime.Load()), "js/plain")
	}
}

// sideBySideCase is a spec handler with its event and its plain Go
// equivalent, for the side-by-side benchmarks.
type sideBySideCase struct {
	handler, code string
	in            hookbridge.TransformInput
	// plain decodes the event and encodes the result in plain Go.
	plain func()
	// transform returns a call of the handler through sb.Transform.
	transform func(sb *Sandbox) func()
}

func sideBySideCases(b *testing.B) []sideBySideCase {
	pairs := []struct {
		handler, event string
		plain          func([]byte) (any, error)
	}{
		{"segment-payment-succeeded.js", "payment_succeeded.json", plainSegmentPayment},
		{"customerio-payment-succeeded.js", "payment_succeeded.json", plainCustomerioPayment},
		{"segment-subscription-lifecycle.js", "subscription_active.json", plainSegmentSubscription},
	}
	var cases []sideBySideCase
	for _, pair := range pairs {
		c := sideBySideCase{handler: pair.handler, code: readHandler(b, pair.handler)}
		eventType, payload := readEvent(b, pair.event)
		c.in = hookbridge.TransformInput{EventType: eventType, Payload: compactJSON(b, payload), URL: "https://hooks.example.com/in"}
		c.plain = func() {
			result, err := pair.plain(c.in.Payload)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := json.Marshal(result); err != nil {
				b.Fatal(err)
			}
		}
		c.transform = func(sb *Sandbox) func() {
			return func() {
				if _, err := sb.Transform(context.Background(), c.handler, c.code, c.in); err != nil {
					b.Fatal(err)
				}
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// compareWithPlain runs js and plain alternately and reports their times
// and ratios. Even iterations are timed by the clock, odd ones by the
// process's CPU time: reading the CPU clock is a system call, which would
// add the same time to both sides of the clock's measurement.
func compareWithPlain(b *testing.B, plain, js func()) {
	var jsTime, plainTime, jsCPU, plainCPU time.Duration
	var timed, cpuTimed int
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			jsTime += clockTime(js)
			plainTime += clockTime(plain)
			timed++
			continue
		}
		jsUsed, ok := cpuTime(js)
		plainUsed, _ := cpuTime(plain)
		if ok {
			jsCPU += jsUsed
			plainCPU += plainUsed
			cpuTimed++
		}
	}
	if timed == 0 {
		return
	}
	b.ReportMetric(float64(jsTime.Nanoseconds())/float64(timed), "js-ns/op")
	b.ReportMetric(float64(plainTime.Nanoseconds())/float64(timed), "plain-ns/op")
	b.ReportMetric(float64(jsTime)/float64(plainTime), "js/plain")
	if cpuTimed > 0 {
		b.ReportMetric(float64(jsCPU.Nanoseconds())/float64(cpuTimed), "js-cpu-ns/op")
		b.ReportMetric(float64(plainCPU.Nanoseconds())/float64(cpuTimed), "plain-cpu-ns/op")
		b.ReportMetric(float64(jsCPU)/float64(plainCPU), "cpu-js/plain")
	}
}

func clockTime(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// cpuTime runs f and returns the CPU time the process used meanwhile, if
// it can be read here.
func cpuTime(f func()) (time.Duration, bool) {
	start, ok := processCPUTime()
	f()
	end, _ := processCPUTime()
	return end - start, ok
}

// inPlaceCall returns a function that runs code's handler on in in a
// runtime of its own, on the calling goroutine and without a time limit:
// Transform without the hand-over to a goroutine that can be abandoned,
// to tell the cost of the bridge and the engine from that of the
// hand-over.
func inPlaceCall(b *testing.B, code string, in hookbridge.TransformInput) func() {
	limits := Options{}.withDefaults()
	inst, err := newInstance(&limits)
	if err != nil {
		b.Fatal(err)
	}
	prog, cerr := compile(code)
	if cerr != nil {
		b.Fatal(cerr)
	}
	inst.lazyPayload = lazyPayloadSafe(code)
	if err := inst.load(prog); err != nil {
		b.Fatal(err)
	}
	return func() {
		if _, err := inst.call(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransformUnkeyed is the test API's path: compile and a fresh
// runtime on every call.
func BenchmarkTransformUnkeyed(b *testing.B) {
	sb := New(Options{})
	code := readHandler(b, "segment-payment-succeeded.js")
	eventType, payload := readEvent(b, "payment_succeeded.json")
	in := hookbridge.TransformInput{EventType: eventType, Payload: compactJSON(b, payload), URL: "https://hooks.example.com/in"}
	for b.Loop() {
		if _, err := sb.Transform(context.Background(), "", code, in); err != nil {
			b.Fatal(err)
		}
	}
}

// plainPayment is the part of a payment event the plain Go benchmarks
// need; encoding/json still scans the whole event to fill it.
type plainPayment struct {
	BusinessID string `json:"business_id"`
	Type       string `json:"type"`
	Timestamp  string `json:"timestamp"`
	Data       struct {
		PaymentID     string        `json:"payment_id"`
		TotalAmount   int64         `json:"total_amount"`
		Currency      string        `json:"currency"`
		PaymentMethod string        `json:"payment_method"`
		Customer      plainCustomer `json:"customer"`
	} `json:"data"`
}

type plainCustomer struct {
	CustomerID string `json:"customer_id"`
	Email      string `json:"email"`
	Name       string `json:"name"`
}

type plainSubscription struct {
	Timestamp string `json:"timestamp"`
	Data      struct {
		SubscriptionID   string        `json:"subscription_id"`
		ProductID        string        `json:"product_id"`
		Amount           int64         `json:"recurring_pre_tax_amount"`
		Interval         string        `json:"payment_frequency_interval"`
		NextBillingDate  string        `json:"next_billing_date"`
		Customer         plainCustomer `json:"customer"`
		CancelledAt      *string       `json:"cancelled_at"`
		CancelAtNextDate bool          `json:"cancel_at_next_billing_date"`
	} `json:"data"`
}

func plainAmount(minor int64) string {
	return strconv.FormatFloat(float64(minor)/100, 'f', 2, 64)
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func benchmarkPlain(b *testing.B, event string, build func(payload []byte) (any, error)) {
	_, payload := readEvent(b, event)
	payload = compactJSON(b, payload)
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		result, err := build(payload)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(result); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlainGoCustomerioPaymentSucceeded(b *testing.B) {
	benchmarkPlain(b, "payment_succeeded.json", plainCustomerioPayment)
}

func plainCustomerioPayment(payload []byte) (any, error) {
	type attributes struct {
		Email         string `json:"email"`
		Name          string `json:"name"`
		PaymentAmount string `json:"payment_amount"`
		PaymentMethod string `json:"payment_method"`
		PaymentID     string `json:"payment_id"`
		Currency      string `json:"currency"`
	}
	type body struct {
		Type        string            `json:"type"`
		Identifiers map[string]string `json:"identifiers"`
		Action      string            `json:"action"`
		Name        string            `json:"name"`
		Attributes  attributes        `json:"attributes"`
	}
	var ev plainPayment
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	p := ev.Data
	return body{"person", map[string]string{"id": p.Customer.CustomerID}, "payment_completed", "Payment Completed",
		attributes{p.Customer.Email, p.Customer.Name, plainAmount(p.TotalAmount), orDefault(p.PaymentMethod, "unknown"),
			p.PaymentID, orDefault(p.Currency, "USD")}}, nil
}

func BenchmarkPlainGoSegmentPaymentSucceeded(b *testing.B) {
	benchmarkPlain(b, "payment_succeeded.json", plainSegmentPayment)
}

func plainSegmentPayment(payload []byte) (any, error) {
	type properties struct {
		Amount        string `json:"amount"`
		Currency      string `json:"currency"`
		PaymentMethod string `json:"payment_method"`
		PaymentID     string `json:"payment_id"`
		CustomerEmail string `json:"customer_email"`
		CustomerName  string `json:"customer_name"`
	}
	type body struct {
		UserID     string     `json:"userId"`
		Event      string     `json:"event"`
		Properties properties `json:"properties"`
		Timestamp  string     `json:"timestamp"`
	}
	var ev plainPayment
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	p := ev.Data
	return body{p.Customer.CustomerID, "Payment Completed", properties{plainAmount(p.TotalAmount),
		orDefault(p.Currency, "USD"), orDefault(p.PaymentMethod, "unknown"), p.PaymentID,
		p.Customer.Email, p.Customer.Name}, ev.Timestamp}, nil
}

func BenchmarkPlainGoSegmentSubscriptionLifecycle(b *testing.B) {
	benchmarkPlain(b, "subscription_active.json", plainSegmentSubscription)
}

func plainSegmentSubscription(payload []byte) (any, error) {
	type properties struct {
		SubscriptionID string `json:"subscription_id"`
		ProductID      string `json:"product_id"`
		Amount         string `json:"amount"`
		Frequency      string `json:"frequency"`
		NextBilling    string `json:"next_billing"`
		CustomerEmail  string `json:"customer_email"`
	}
	type body struct {
		UserID     string     `json:"userId"`
		Event      string     `json:"event"`
		Properties properties `json:"properties"`
		Timestamp  string     `json:"timestamp"`
	}
	var ev plainSubscription
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	s := ev.Data
	return body{s.Customer.CustomerID, "Subscription Started", properties{s.SubscriptionID, s.ProductID,
		plainAmount(s.Amount), s.Interval, s.NextBillingDate, s.Customer.Email}, ev.Timestamp}, nil
}

func compactJSON(t testing.TB, payload []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, payload); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

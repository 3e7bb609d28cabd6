package templatetest

import (
	"strings"
	"testing"
)

func TestRunUnchangedAndChanged(t *testing.T) {
	payload := Sample("payment.succeeded")
	res, err := Run(`function handler(webhook) { return webhook; }`, "payment.succeeded", payload, "https://x.example/")
	if err != nil || res.Changed {
		t.Fatalf("identity handler: changed=%v err=%v", res.Changed, err)
	}
	res, err = Run(`function handler(w) { w.url = "https://y.example/"; w.payload = {a: hb.formatAmount(w.payload.data.total_amount, w.payload.data.currency)}; return w; }`,
		"payment.succeeded", payload, "https://x.example/")
	if err != nil || !res.Changed || res.Request.URL != "https://y.example/" || string(res.Request.Body) != `{"a":"29.99"}` {
		t.Fatalf("changing handler: %+v, %v", res, err)
	}
	if _, err := Run(`function handler(w) { throw new Error("boom") }`, "x", payload, ""); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("throwing handler: %v", err)
	}
}

package browser_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// TestCustomerTimelinePage finds a customer from the top bar's search box
// and reads the timeline: the event, its delivery to Segment and the
// userId Segment received.
func TestCustomerTimelinePage(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"SearchCustomerFromTopBar", searchCustomer},
	})
}

func searchCustomer(t *testing.T, e *env, b *browser) {
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment", "integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": segmenttest.WriteKey}, "event_types": []string{"payment.succeeded"},
	}, nil)
	msgID := e.postEvent(t, "payment.succeeded") // the sample's customer: Jane Doe
	waitDelivered(t, e, msgID)

	b.fill(t, "#customer-search", "Jane.Doe@example.com")
	b.do(t, chromedp.SendKeys(chromedp.CSS("#customer-search"), "\r")) // Enter, as a person would
	b.waitFor(t, "the customer's timeline", `location.pathname === "/apps/default/customers/Jane.Doe%40example.com" && document.querySelector("[data-timeline] [data-message='`+msgID+`']")`)
	b.waitFor(t, "the delivery to Segment, succeeded", `document.querySelector("[data-message='`+msgID+`'] [data-delivery][data-status=succeeded]")`)
	if got := b.text(t, "[data-message='"+msgID+"'] [data-identifier=userId]"); got != "cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc" {
		t.Errorf("identifier shown as %q, want the userId Segment received", got)
	}
	b.screenshot(t, "customer-timeline")

	b.fill(t, "#customer-search", "cus_nobody")
	b.do(t, chromedp.SendKeys(chromedp.CSS("#customer-search"), "\r")) // Enter, as a person would
	b.waitFor(t, "an empty timeline", `document.querySelector("[data-timeline] .empty")`)
}

// waitDelivered waits until the message's deliveries are all final.
func waitDelivered(t *testing.T, e *env, msgID string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var msg struct {
			Deliveries []struct{ Status string } `json:"deliveries"`
		}
		e.api(t, http.MethodGet, "/api/v1/apps/default/messages/"+msgID, nil, &msg)
		done := len(msg.Deliveries) > 0
		for _, d := range msg.Deliveries {
			done = done && d.Status != "pending"
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries of %s not final: %+v", msgID, msg.Deliveries)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

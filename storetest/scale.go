package storetest

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// ScaleEnv names the environment variable that sets how many stored
// messages the stores' *AtScale benchmarks seed before measuring.
const ScaleEnv = "HOOKBRIDGE_BENCH_MESSAGES"

// defaultScale keeps the benchmarks quick in CI; docs/scaling.md records
// runs at 1,000,000.
const defaultScale = 10_000

// ScaleMessages returns how many messages of history the *AtScale
// benchmarks seed: $HOOKBRIDGE_BENCH_MESSAGES, or 10,000.
func ScaleMessages(tb testing.TB) int {
	tb.Helper()
	v := os.Getenv(ScaleEnv)
	if v == "" {
		return defaultScale
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a number of messages", ScaleEnv, v)
	}
	return n
}

// HistoryRecord is one message as months of traffic leave it: delivered
// to its endpoint, with the attempt that did it.
type HistoryRecord struct {
	Message  hookbridge.Message
	Delivery hookbridge.Delivery
	Attempt  hookbridge.Attempt
}

// historySpan is how far back the seeded history reaches.
const historySpan = 60 * 24 * time.Hour

// History calls fn with n records of an app's history to one endpoint,
// oldest first, spread over the 60 days before now, so that a benchmark
// can bulk-load them in its store's own way. The record is reused between
// calls.
func History(appID, endpointID string, n int, now time.Time, fn func(r *HistoryRecord) error) error {
	var r HistoryRecord
	step := historySpan / time.Duration(max(n, 1))
	start := now.Add(-historySpan)
	for i := range n {
		at := start.Add(time.Duration(i) * step).UTC().Truncate(time.Microsecond)
		id := fmt.Sprintf("msg_hist%022d", i)
		r.Message = hookbridge.Message{
			ID: id, AppID: appID, EventType: historyEventTypes[i%len(historyEventTypes)],
			EventID: fmt.Sprintf("evt_hist%022d", i), Payload: historyPayload(i, at), CreatedAt: at,
		}
		r.Delivery = hookbridge.Delivery{
			ID: fmt.Sprintf("dlv_hist%022d", i), AppID: appID, MessageID: id, EndpointID: endpointID,
			EventType: r.Message.EventType, Status: hookbridge.DeliverySucceeded, Attempts: 1,
			NextAttemptAt: at, CreatedAt: at, UpdatedAt: at.Add(300 * time.Millisecond),
		}
		r.Attempt = hookbridge.Attempt{
			ID: fmt.Sprintf("att_hist%022d", i), DeliveryID: r.Delivery.ID,
			Request: hookbridge.RecordedRequest{
				Method: "POST", URL: "https://api.segment.io/v1/track",
				Headers: map[string]string{"Content-Type": "application/json", "Authorization": "Basic ********"},
				Body:    fmt.Sprintf(`{"userId":"cus_%d","event":"Payment Completed","properties":{"amount":%d,"currency":"EUR"},"messageId":"%s"}`, i%5000, 100+i%9000, id),
			},
			ResponseStatus:  200,
			ResponseHeaders: map[string]string{"Content-Type": "application/json"},
			ResponseBody:    `{"success":true}`,
			Duration:        180 * time.Millisecond,
			CreatedAt:       at.Add(200 * time.Millisecond),
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

var historyEventTypes = []string{"payment.succeeded", "payment.failed", "subscription.active", "refund.succeeded"}

func historyPayload(i int, at time.Time) []byte {
	return fmt.Appendf(nil, `{"business_id":"bus_7Hs","type":%q,"timestamp":%q,"data":{"payment_id":"pay_%010d",`+
		`"total_amount":%d,"currency":"EUR","customer":{"customer_id":"cus_%d","email":"customer%d@example.com","name":"Customer %d"},`+
		`"payment_method":"card","status":"succeeded"}}`,
		historyEventTypes[i%len(historyEventTypes)], at.Format(time.RFC3339), i, 100+i%9000, i%5000, i%5000, i%5000)
}

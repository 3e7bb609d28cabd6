package delivery_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// TestEchoedSecretHeadersAreMaskedEverywhere sends to a destination that
// refuses the request quoting its secret headers back, in the body and in
// a header: the attempt, the delivery's last error and the
// delivery.exhausted event hold neither the secrets nor their Base64.
func TestEchoedSecretHeadersAreMaskedEverywhere(t *testing.T) {
	const apiKey, password = "echo-api-key-0123456789", "echo-password-9876543210"
	basic := base64.StdEncoding.EncodeToString([]byte("user:" + password))
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-You-Sent", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("refused: X-Api-Key " + r.Header.Get("X-Api-Key") + ", Authorization " + r.Header.Get("Authorization")))
	}))
	t.Cleanup(echo.Close)
	r := newRig(t)
	r.operational()
	e := r.endpoint(&hookbridge.Endpoint{Integration: "webhook", URL: echo.URL + "/hooks", Credentials: r.ops.Credentials(),
		Headers: map[string]string{"X-Api-Key": apiKey, "Authorization": "Basic " + basic}})
	m := r.post("")
	d := r.settle(m, e)
	r.run() // the delivery.exhausted event
	if d.Status != hookbridge.DeliveryFailed {
		t.Fatalf("delivery %s, want failed", d.Status)
	}
	events := r.opsEvents()[hookbridge.EventDeliveryExhausted]
	if len(events) != 1 {
		t.Fatalf("operational webhook got %v, want one delivery.exhausted", r.opsEvents())
	}
	event, _ := json.Marshal(events[0])
	recorded, _ := json.Marshal(r.attempts(d))
	for what, text := range map[string]string{"attempts": string(recorded), "last error": d.LastError, "delivery.exhausted": string(event)} {
		for _, secret := range []string{apiKey, password, basic} {
			if strings.Contains(text, secret) {
				t.Errorf("%s hold %q: %s", what, secret, text)
			}
		}
	}
	if !strings.Contains(d.LastError, "refused: X-Api-Key echo********") || !strings.Contains(string(recorded), "Basic ********") {
		t.Errorf("the answer was not recorded, masked: %s / %s", d.LastError, recorded)
	}
}

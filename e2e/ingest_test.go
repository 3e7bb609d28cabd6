package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/signing"
)

type sourceAnswer struct {
	ID        string `json:"id"`
	IngestURL string `json:"ingest_url"`
	Secret    string `json:"secret"`
	Secrets   []struct {
		Masked    string     `json:"masked"`
		ExpiresAt *time.Time `json:"expires_at"`
	} `json:"secrets"`
}

// postSigned sends body to a source signed with secret at time ts.
func postSigned(t *testing.T, url, secret, id string, ts time.Time, body []byte) (int, string) {
	t.Helper()
	sig, err := signing.Sign(secret, id, ts, body)
	if err != nil {
		t.Fatal(err)
	}
	return postWithHeaders(t, url, map[string]string{
		signing.HeaderID: id, signing.HeaderTimestamp: strconv.FormatInt(ts.Unix(), 10), signing.HeaderSignature: sig,
	}, body)
}

func postWithHeaders(t *testing.T, url string, headers map[string]string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func (h *harness) messageCount() int {
	var list struct {
		Data []any `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/messages?limit=250", nil, http.StatusOK, &list)
	return len(list.Data)
}

func TestSignedIngestStoresOnceAndDelivers(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, seg.Credentials())
	var src sourceAnswer
	h.mustCall("POST", "/api/v1/apps/default/sources", map[string]any{"name": "Payments"}, http.StatusCreated, &src)
	if !strings.HasPrefix(src.Secret, "whsec_") || src.IngestURL != h.url+"/ingest/"+src.ID {
		t.Fatalf("source %+v, want a whsec_ secret shown once and the ingest URL", src)
	}
	var again map[string]any
	h.mustCall("GET", "/api/v1/apps/default/sources/"+src.ID, nil, http.StatusOK, &again)
	if strings.Contains(toJSON(again), src.Secret) {
		t.Fatal("the source secret is shown again after creation")
	}

	payload, _ := sample(t, "payment.succeeded")
	status, body := postSigned(t, src.IngestURL, src.Secret, "msg_platform_1", time.Now(), payload)
	if status != http.StatusOK {
		t.Fatalf("ingest = %d %s", status, body)
	}
	// The platform retries the same webhook-id: answered 200, stored once.
	status, body = postSigned(t, src.IngestURL, src.Secret, "msg_platform_1", time.Now(), payload)
	var ans struct {
		ID        string `json:"id"`
		Duplicate bool   `json:"duplicate"`
	}
	_ = json.Unmarshal([]byte(body), &ans)
	if status != http.StatusOK || !ans.Duplicate {
		t.Fatalf("retry = %d %s, want 200 marked duplicate", status, body)
	}
	if n := h.messageCount(); n != 1 {
		t.Fatalf("%d messages stored, want 1", n)
	}
	msg, _ := h.message(ans.ID)
	if !bytes.Equal(msg.Payload, payload) || msg.EventType != "payment.succeeded" || msg.EventID != "msg_platform_1" {
		t.Fatalf("stored %+v, want the body byte for byte, its type and the webhook-id", msg)
	}
	if d := h.waitDeliveries(ans.ID)[0]; d.Status != hookbridge.DeliverySucceeded {
		t.Fatalf("delivery %+v", d)
	}
}

func TestIngestRefusalsStoreNothing(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var src sourceAnswer
	h.mustCall("POST", "/api/v1/apps/default/sources", map[string]any{}, http.StatusCreated, &src)
	payload, _ := sample(t, "payment.succeeded")
	other, _ := signing.GenerateSecret()
	now := time.Now()
	sig, _ := signing.Sign(src.Secret, "msg_x", now, payload)
	cases := []struct {
		name   string
		do     func() (int, string)
		status int
		says   string
	}{
		{"no signature", func() (int, string) { return postWithHeaders(t, src.IngestURL, nil, payload) }, 401, "webhook-signature"},
		{"wrong secret", func() (int, string) { return postSigned(t, src.IngestURL, other, "msg_x", now, payload) }, 401, "does not match"},
		{"body changed after signing", func() (int, string) {
			return postWithHeaders(t, src.IngestURL, map[string]string{signing.HeaderID: "msg_x",
				signing.HeaderTimestamp: strconv.FormatInt(now.Unix(), 10), signing.HeaderSignature: sig}, append(bytes.Clone(payload), ' '))
		}, 401, "does not match"},
		{"stale timestamp", func() (int, string) {
			return postSigned(t, src.IngestURL, src.Secret, "msg_x", now.Add(-6*time.Minute), payload)
		}, 400, "too old"},
		{"future timestamp", func() (int, string) {
			return postSigned(t, src.IngestURL, src.Secret, "msg_x", now.Add(6*time.Minute), payload)
		}, 400, "too new"},
		{"not a JSON object", func() (int, string) { return postSigned(t, src.IngestURL, src.Secret, "msg_x", now, []byte(`[1,2]`)) }, 400, "JSON object"},
		{"no type", func() (int, string) {
			return postSigned(t, src.IngestURL, src.Secret, "msg_x", now, []byte(`{"data":{}}`))
		}, 400, "type"},
		{"too large", func() (int, string) {
			big := []byte(`{"type":"payment.succeeded","data":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`)
			return postSigned(t, src.IngestURL, src.Secret, "msg_x", now, big)
		}, 413, "larger than"},
		{"unknown source", func() (int, string) {
			return postSigned(t, h.url+"/ingest/src_nope", src.Secret, "msg_x", now, payload)
		}, 404, "no source"},
	}
	for _, tc := range cases {
		status, body := tc.do()
		if status != tc.status || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d %s, want %d saying %q", tc.name, status, body, tc.status, tc.says)
		}
	}
	if n := h.messageCount(); n != 0 {
		t.Fatalf("%d messages stored from refused requests", n)
	}
}

func TestSourceSecretRotation(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var src, rotated sourceAnswer
	h.mustCall("POST", "/api/v1/apps/default/sources", map[string]any{"name": "Payments"}, http.StatusCreated, &src)
	h.mustCall("POST", "/api/v1/apps/default/sources/"+src.ID+"/rotate-secret", nil, http.StatusOK, &rotated)
	if rotated.Secret == "" || rotated.Secret == src.Secret || len(rotated.Secrets) != 2 {
		t.Fatalf("rotation %+v, want a new secret and two active", rotated)
	}
	exp := rotated.Secrets[1].ExpiresAt
	if exp == nil || exp.Sub(time.Now()) < 23*time.Hour || exp.Sub(time.Now()) > 25*time.Hour {
		t.Fatalf("old secret expires at %v, want in 24 hours", exp)
	}
	payload, _ := sample(t, "subscription.active")
	for i, secret := range []string{src.Secret, rotated.Secret} {
		if status, body := postSigned(t, src.IngestURL, secret, "msg_rot_"+strconv.Itoa(i), time.Now(), payload); status != 200 {
			t.Fatalf("secret %d during the grace: %d %s", i, status, body)
		}
	}
}

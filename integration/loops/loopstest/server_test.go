package loopstest

import (
	"net/http"
	"strings"
	"testing"
)

func TestFakeAnswersLikeLoops(t *testing.T) {
	s := New(t, WithTransactional("tx1", "amount"), WithContactProperties("plan"))
	cases := []struct {
		name, method, path, auth, key, body string
		status                              int
	}{
		{"no key", "POST", "/api/v1/transactional", "", "", `{"transactionalId":"tx1","email":"a@example.org","dataVariables":{"amount":"1"}}`, 401},
		{"unknown email", "POST", "/api/v1/transactional", "Bearer " + APIKey, "", `{"transactionalId":"tx9","email":"a@example.org"}`, 404},
		{"missing variable", "POST", "/api/v1/transactional", "Bearer " + APIKey, "", `{"transactionalId":"tx1","email":"a@example.org"}`, 400},
		{"object variable", "POST", "/api/v1/transactional", "Bearer " + APIKey, "", `{"transactionalId":"tx1","email":"a@example.org","dataVariables":{"amount":{}}}`, 400},
		{"sent", "POST", "/api/v1/transactional", "Bearer " + APIKey, "k1", `{"transactionalId":"tx1","email":"a@example.org","dataVariables":{"amount":"1"}}`, 200},
		{"key used", "POST", "/api/v1/events/send", "Bearer " + APIKey, "k1", `{"email":"a@example.org","eventName":"x"}`, 409},
		{"key too long", "POST", "/api/v1/events/send", "Bearer " + APIKey, strings.Repeat("k", 101), `{"email":"a@example.org","eventName":"x"}`, 400},
		{"event without contact", "POST", "/api/v1/events/send", "Bearer " + APIKey, "", `{"eventName":"x"}`, 400},
		{"event", "POST", "/api/v1/events/send", "Bearer " + APIKey, "k2", `{"userId":"u1","eventName":"x","eventProperties":{"n":1}}`, 200},
		{"contact on POST", "POST", "/api/v1/contacts/update", "Bearer " + APIKey, "", `{"email":"a@example.org"}`, 405},
		{"unknown contact property", "PUT", "/api/v1/contacts/update", "Bearer " + APIKey, "", `{"email":"a@example.org","favoriteColor":"blue"}`, 400},
		{"contact", "PUT", "/api/v1/contacts/update", "Bearer " + APIKey, "", `{"email":"a@example.org","plan":"pro"}`, 200},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, "https://app.loops.so"+c.path, strings.NewReader(c.body))
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		if c.key != "" {
			req.Header.Set("Idempotency-Key", c.key)
		}
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.status)
		}
	}
	if len(s.Emails()) != 1 || len(s.Events()) != 1 {
		t.Errorf("%d emails, %d events", len(s.Emails()), len(s.Events()))
	}
}

package kittest

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// Verify checks creds as the API does: it makes integ's verify call, if
// it has one, through client (a fake's Client) and reads the answer. It
// fails the test if integ is not a hookbridge.Verifier or the call cannot
// be sent. Sent reports whether a call was made.
func Verify(t *testing.T, integ hookbridge.Integration, creds hookbridge.Credentials, client *http.Client) (v hookbridge.Verification, sent bool) {
	t.Helper()
	verifier, ok := integ.(hookbridge.Verifier)
	if !ok {
		t.Fatalf("%s is not a hookbridge.Verifier", integ.Info().ID)
	}
	req, early := verifier.VerifyRequest(creds)
	if req == nil {
		if early == nil {
			t.Fatalf("%s: VerifyRequest returned neither a request nor a verification", integ.Info().ID)
		}
		return *early, false
	}
	if req.Method != http.MethodGet {
		t.Errorf("%s: the verify call is %s, not a harmless GET", integ.Info().ID, req.Method)
	}
	httpReq, err := http.NewRequestWithContext(t.Context(), req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		t.Fatalf("%s: verify request: %v", integ.Info().ID, err)
	}
	for k, v := range req.Headers {
		httpReq.Header.Set(k, v)
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		t.Fatalf("%s: send verify call: %v", integ.Info().ID, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	headers := map[string]string{}
	for k := range resp.Header {
		headers[k] = resp.Header.Get(k)
	}
	return verifier.ReadVerify(creds, hookbridge.Answer{Status: resp.StatusCode, Headers: headers, Body: body}), true
}

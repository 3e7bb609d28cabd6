package kit

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

func verifying(v *Verify) *Integration {
	spec := regional()
	spec.Verify = v
	return New(spec).(*Integration)
}

// The call goes to the credentials' region host, authenticated, as a GET.
func TestVerifyRequestOnRegionHost(t *testing.T) {
	in := verifying(&Verify{Path: "/v1/me"})
	req, v := in.VerifyRequest(hookbridge.Credentials{"user": "u", "key": "k", "region": "eu"})
	if v != nil || req == nil {
		t.Fatalf("no call: %+v", v)
	}
	if req.Method != "GET" || req.URL != "https://api-eu.tool.example/v1/me" || !strings.HasPrefix(req.Header("Authorization"), "Basic ") {
		t.Fatalf("call: %s %s %v", req.Method, req.URL, req.Headers)
	}
	in = verifying(&Verify{Path: "/v1/me", RegionHosts: map[string]string{"us": "app.tool.example", "eu": "eu.app.tool.example"}})
	if req, _ := in.VerifyRequest(hookbridge.Credentials{"user": "u", "key": "k", "region": "eu"}); req.URL != "https://eu.app.tool.example/v1/me" {
		t.Fatalf("region host of the call: %s", req.URL)
	}
	in = verifying(&Verify{Path: "/v1/me", Host: "api.tool.example"})
	if req, _ := in.VerifyRequest(hookbridge.Credentials{"user": "u", "key": "k", "region": "eu"}); req.URL != "https://api.tool.example/v1/me" {
		t.Fatalf("fixed host of the call: %s", req.URL)
	}
}

// Without a spec's reading, the status code decides.
func TestReadVerifyByStatus(t *testing.T) {
	in := verifying(&Verify{Path: "/v1/me"})
	for status, want := range map[int]string{
		200: hookbridge.VerifyValid, 204: hookbridge.VerifyValid,
		401: hookbridge.VerifyWrongKey, 403: hookbridge.VerifyWrongKey,
		429: hookbridge.VerifyCannotCheck, 503: hookbridge.VerifyCannotCheck, 404: hookbridge.VerifyCannotCheck,
	} {
		v := in.ReadVerify(nil, hookbridge.Answer{Status: status})
		if v.Result != want || v.Status != status {
			t.Errorf("%d: %+v, want %s", status, v, want)
		}
		if want == hookbridge.VerifyWrongKey && !strings.Contains(v.Fix, "User, Key") {
			t.Errorf("%d: the fix should name the credentials: %q", status, v.Fix)
		}
	}
}

// A spec's reading comes first; ok false leaves the answer to the status.
func TestReadVerifyWithSpecReading(t *testing.T) {
	in := verifying(&Verify{Path: "/v1/me", Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		if a.Status == 200 {
			return hookbridge.Verification{Result: hookbridge.VerifyWrongRegion, Region: "eu"}, true
		}
		return hookbridge.Verification{}, false
	}})
	if v := in.ReadVerify(nil, hookbridge.Answer{Status: 200}); v.Result != hookbridge.VerifyWrongRegion || v.Region != "eu" {
		t.Errorf("spec reading: %+v", v)
	}
	if v := in.ReadVerify(nil, hookbridge.Answer{Status: 401}); v.Result != hookbridge.VerifyWrongKey {
		t.Errorf("left to the status: %+v", v)
	}
}

func TestVerifyWithoutCall(t *testing.T) {
	if _, v := verifying(&Verify{CannotCheck: "the tool has no read"}).VerifyRequest(nil); v.Result != hookbridge.VerifyCannotCheck || !strings.Contains(v.Message, "the tool has no read") {
		t.Errorf("cannot check: %+v", v)
	}
	if _, v := verifying(nil).VerifyRequest(nil); v.Result != hookbridge.VerifyCannotCheck {
		t.Errorf("no Verify: %+v", v)
	}
	// A URL credential that is not the tool's is a wrong key, found
	// without a call.
	in := New(selfHosted("hooks.tool.example")).(*Integration)
	_, v := in.VerifyRequest(hookbridge.Credentials{in.spec.URLCredential: "https://evil.example/x"})
	if v == nil || v.Result != hookbridge.VerifyWrongKey {
		t.Errorf("a foreign URL: %+v", v)
	}
	_, v = in.VerifyRequest(hookbridge.Credentials{in.spec.URLCredential: "https://hooks.tool.example/abcdefgh"})
	if v == nil || v.Result != hookbridge.VerifyCannotCheck || !strings.Contains(v.Message, "without posting a message") {
		t.Errorf("the tool's URL: %+v", v)
	}
}

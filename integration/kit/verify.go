package kit

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// Verify describes how a tool's credentials are checked (see
// hookbridge.Verifier): one harmless authenticated call, or the reason
// there is none. A tool whose URL is a credential has that URL checked
// first, without sending anything.
type Verify struct {
	// CannotCheck, when set, is why the tool offers no harmless call that
	// checks its credentials ("its Tracking API answers 200 to any write
	// key"): no call is made, and the reason is given.
	CannotCheck string
	// Method is the call's method, GET when empty.
	Method string
	// Path is the call's path and query on the tool's host.
	Path string
	// Host, if set, is the host the call goes to whatever the region
	// (Customer.io answers its region call on the US host for any
	// account).
	Host string
	// RegionHosts, if set, maps each region to the call's host, when it
	// is not the event API's (Mixpanel's app API on mixpanel.com).
	RegionHosts map[string]string
	// URL, if set, builds the call's whole URL from the credentials (a
	// workspace named in the webhook URL); its error says what is missing.
	URL func(creds hookbridge.Credentials) (string, error)
	// Read reads the tool's answer; ok false leaves it to the status
	// code (see readVerifyStatus).
	Read func(creds hookbridge.Credentials, a hookbridge.Answer) (v hookbridge.Verification, ok bool)
}

var _ hookbridge.Verifier = (*Integration)(nil)

// VerifyRequest returns the call that checks creds, authenticated as the
// tool's requests are, or the verification when no call is made: a URL
// credential that is not the tool's, or a tool without a harmless call.
func (in *Integration) VerifyRequest(creds hookbridge.Credentials) (*hookbridge.OutboundRequest, *hookbridge.Verification) {
	s := in.spec
	if v := in.checkURLCredential(creds); v != nil {
		return nil, v
	}
	switch {
	case s.Verify == nil && s.URLCredential != "":
		return nil, cannotCheck(fmt.Sprintf("the URL is a %s webhook URL; %s offers no way to check it without posting a message", s.Name, s.Name),
			"send a test event from the Test panel: it posts one message for real")
	case s.Verify == nil:
		return nil, cannotCheck(fmt.Sprintf("hookbridge knows no harmless %s call that checks credentials", s.Name), "")
	case s.Verify.CannotCheck != "":
		return nil, cannotCheck(s.Verify.CannotCheck, "send a test event from the Test panel: it sends one request for real")
	}
	target, err := in.verifyURL(creds)
	if err != nil {
		return nil, &hookbridge.Verification{Result: hookbridge.VerifyWrongKey, Message: err.Error(),
			Fix: "check the endpoint's credentials: " + strings.Join(in.credentialLabels(), ", ")}
	}
	req := &hookbridge.OutboundRequest{Method: s.Verify.Method, URL: target, Headers: map[string]string{"Accept": "application/json"}}
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	if s.Auth != nil {
		if err := s.Auth(req, creds); err != nil {
			return nil, &hookbridge.Verification{Result: hookbridge.VerifyWrongKey, Message: err.Error()}
		}
	}
	return req, nil
}

// ReadVerify reads the answer to the verify call with the spec's Read,
// then by its status; the call and status are added.
func (in *Integration) ReadVerify(creds hookbridge.Credentials, a hookbridge.Answer) hookbridge.Verification {
	var (
		v  hookbridge.Verification
		ok bool
	)
	if r := in.spec.Verify; r != nil && r.Read != nil {
		v, ok = r.Read(creds, a)
	}
	if !ok {
		v = in.readVerifyStatus(a.Status)
	}
	v.Status = a.Status
	return v
}

// readVerifyStatus reads a verify call's answer by its status alone: a
// 2xx accepts the credentials, a 401 or 403 refuses them, anything else
// says nothing of them.
func (in *Integration) readVerifyStatus(status int) hookbridge.Verification {
	name := in.spec.Name
	fix := "check the endpoint's credentials: " + strings.Join(in.credentialLabels(), ", ")
	switch {
	case status >= 200 && status < 300:
		return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: name + " accepted the credentials"}
	case status == http.StatusUnauthorized:
		return hookbridge.Verification{Result: hookbridge.VerifyWrongKey, Message: name + " refused the credentials (401)", Fix: fix}
	case status == http.StatusForbidden:
		return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
			Message: name + " refused the credentials for this call (403): a key of another kind, without the permission it needs, or revoked", Fix: fix}
	case status == http.StatusTooManyRequests || status >= 500:
		return *cannotCheck(fmt.Sprintf("%s answered %d, which says nothing of the credentials", name, status), "try again in a minute")
	}
	return *cannotCheck(fmt.Sprintf("%s answered %d to the check, which says nothing of the credentials", name, status), "")
}

// checkURLCredential checks the URL credential against the field's own
// check (its host and shape): a URL that is not the tool's is a wrong key,
// as the URL is the key. It returns nil when there is nothing to say.
func (in *Integration) checkURLCredential(creds hookbridge.Credentials) *hookbridge.Verification {
	s := in.spec
	if s.URLCredential == "" {
		return nil
	}
	for _, f := range s.Credentials {
		if f.Name != s.URLCredential {
			continue
		}
		value := creds[f.Name]
		msg := ""
		switch {
		case value == "":
			msg = "is empty"
		case f.Check != nil:
			msg = f.Check(value)
		}
		if msg != "" {
			return &hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: fmt.Sprintf("the %s %s", f.Label, msg),
				Fix:     fmt.Sprintf("copy the %s again from %s", f.Label, s.Name)}
		}
	}
	return nil
}

// verifyURL is the verify call's URL: the spec's URL func, or Path on the
// call's host for the credentials' region.
func (in *Integration) verifyURL(creds hookbridge.Credentials) (string, error) {
	v := in.spec.Verify
	if v.URL != nil {
		return v.URL(creds)
	}
	host, err := in.verifyHost(creds)
	if err != nil {
		return "", err
	}
	return "https://" + host + v.Path, nil
}

func (in *Integration) verifyHost(creds hookbridge.Credentials) (string, error) {
	s, v := in.spec, in.spec.Verify
	switch {
	case v.Host != "":
		return v.Host, nil
	case v.RegionHosts != nil && s.Regions != nil:
		return outbound.RegionHost(s.Name, v.RegionHosts, s.Regions.Default, creds[s.Regions.Field])
	case s.Regions != nil:
		return s.Regions.host(s.Name, creds)
	case s.HostCredential != "" && creds[s.HostCredential] != "":
		return customHost(s.Name, creds[s.HostCredential])
	case len(s.Hosts) > 0:
		return s.Hosts[0], nil
	}
	return "", fmt.Errorf("%s has no API host to check the credentials on", s.Name)
}

// URLCredentialHost parses the URL credential's value, for a verify call
// on a self-hosted tool's own host (the URL's host).
func URLCredentialHost(creds hookbridge.Credentials, field string) (*url.URL, error) {
	u, err := url.Parse(creds[field])
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("the webhook URL is not a URL")
	}
	return u, nil
}

func cannotCheck(why, fix string) *hookbridge.Verification {
	return &hookbridge.Verification{Result: hookbridge.VerifyCannotCheck, Message: "cannot be checked: " + why, Fix: fix}
}

package httpapi

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// paced is a tool with a default rate limit of 100 per 10 s whose webhook
// URL is a credential.
func paced() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID: "paced", Name: "Paced", Group: hookbridge.GroupAutomation, Description: "a test tool",
		Credentials:   []hookbridge.CredentialField{kit.URLField("webhook_url", "Webhook URL", "", []string{"hooks.paced.example"}, "")},
		URLCredential: "webhook_url",
		RateLimit:     &hookbridge.RateLimitDefault{Requests: 100, Period: hookbridge.Duration(10 * time.Second), Burst: 5},
	})
}

func TestANewEndpointGetsItsIntegrationsRateLimitUnlessItSetsOne(t *testing.T) {
	s := &Server{integrations: hookbridge.NewIntegrations(paced())}
	ep := &hookbridge.Endpoint{Integration: "paced"}
	s.applyDefaultRateLimit(ep)
	if ep.RateLimit != 100 || time.Duration(ep.RateLimitPeriod) != 10*time.Second || ep.Burst != 5 {
		t.Errorf("rate limit %d per %v, burst %d; want the integration's 100 per 10s, burst 5", ep.RateLimit, ep.RateLimitPeriod, ep.Burst)
	}
	plain := &hookbridge.Endpoint{Integration: "webhook"}
	s.applyDefaultRateLimit(plain)
	if plain.RateLimit != 0 {
		t.Errorf("an integration without a default gave rate limit %d", plain.RateLimit)
	}
}

func TestAURLCredentialIntegrationTakesNoPlainURL(t *testing.T) {
	s := &Server{integrations: hookbridge.NewIntegrations(paced())}
	info := paced().Info()
	var verr hookbridge.ValidationError
	s.validateEndpoint(&hookbridge.Endpoint{Integration: "paced", URL: "https://hooks.paced.example/x"}, info, &verr)
	checkField(t, verr.Err(), "url")

	verr = hookbridge.ValidationError{}
	s.validateEndpoint(&hookbridge.Endpoint{Integration: "paced"}, info, &verr)
	checkField(t, verr.Err(), "")
}

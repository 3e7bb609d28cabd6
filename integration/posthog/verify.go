package posthog

import "github.com/hookbridge/hookbridge/integration/kit"

// verify says why the project API key cannot be checked harmlessly: it is
// a public key taken by the capture endpoints (which record events) and
// by feature-flag evaluation (billed as a flag request); the read APIs
// need a personal API key.
var verify = &kit.Verify{
	CannotCheck: "PostHog's project API key is taken only by the capture endpoints, which record an event, " +
		"and by feature-flag evaluation, which PostHog bills as a flag request; its read APIs need a personal API key",
}

package segment

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "segment"

// Credential field names.
const (
	FieldWriteKey = "write_key"
	FieldRegion   = "region"
)

// Regions and their Tracking API hosts.
const (
	RegionUS = "us"
	RegionEU = "eu"

	HostUS = "api.segment.io"
	HostEU = "events.eu1.segmentapis.com"
)

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + HostUS + "/v1/track"

// RequestsPerSecond is a new endpoint's default rate limit: Segment asks
// for at most 1,000 requests a second per workspace to the HTTP Tracking
// API, and may answer 429 above it.
const RequestsPerSecond = 1000

// New returns the Segment integration: the kit moves requests on the
// Tracking API hosts to the credentials' region and authenticates them
// with Basic write_key:""; this package adds messageIds (see
// prepareTracking), the Tracking API's rules (validate), its batches
// (batcher) and the reading of its answers (readAnswer).
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Segment",
		Group: hookbridge.GroupAnalytics,
		Description: "Track payment, subscription and customer events in Segment, and from there " +
			"in every tool connected to your workspace, through the HTTP Tracking API.",
		Logo:        logo,
		Docs:        "docs/integrations/segment.md",
		Credentials: credentialFields(),
		Hosts:       []string{HostUS, HostEU},
		Regions: &kit.Regions{Field: FieldRegion, Default: RegionUS,
			Hosts: map[string]string{RegionUS: HostUS, RegionEU: HostEU}},
		DefaultURL:             DefaultURL,
		Auth:                   kit.Basic(FieldWriteKey, ""),
		RateLimit:              &hookbridge.RateLimitDefault{Requests: RequestsPerSecond},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templateSpecs),
		Prepare:                prepareTracking,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
		Batch:                  batcher{},
	})
}

func credentialFields() []hookbridge.CredentialField {
	return []hookbridge.CredentialField{
		{
			Name:     FieldWriteKey,
			Label:    "Write key",
			Help:     "In Segment: Connections → Sources → your HTTP API source → Settings → API Keys. Events are authenticated with it; a wrong key is answered 401.",
			Secret:   true,
			Required: true,
			Check:    checkWriteKey,
		},
		{
			Name:    FieldRegion,
			Label:   "Region",
			Help:    "Where your Segment workspace is hosted: us (api.segment.io) or eu (events.eu1.segmentapis.com). An EU workspace's events sent to the US host are accepted and then lost, without an error.",
			Choices: []string{RegionUS, RegionEU},
			Default: RegionUS,
		},
	}
}

// checkWriteKey refuses what cannot be the user part of Basic credentials.
func checkWriteKey(v string) string {
	if outbound.HasSeparator(v) {
		return "a write key has no colons or spaces: copy it from the source's API Keys settings"
	}
	return ""
}

// logo is an original monogram, not Segment's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Segment"><rect width="64" height="64" rx="14" fill="#3A5BA0"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">S</text></svg>`

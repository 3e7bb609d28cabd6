package customerio

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "customerio"

// Credential field names.
const (
	FieldSiteID = "site_id"
	FieldAPIKey = "api_key"
	FieldRegion = "region"
)

// Regions and their Track API hosts.
const (
	RegionUS = "us"
	RegionEU = "eu"

	HostUS = "track.customer.io"
	HostEU = "track-eu.customer.io"
)

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + HostUS + "/api/v2/entity"

// RequestsPerSecond is a new endpoint's default rate limit: the Track
// API's fair-use limit of about 100 requests a second per workspace,
// above which it answers 429.
const RequestsPerSecond = 100

// New returns the Customer.io integration: the kit moves requests on the
// Track API hosts to the credentials' region and authenticates them with
// Basic site_id:api_key; this package adds event ids (see prepare), the
// Track API's rules (validate), its batches (batcher) and the reading of
// its answers (readAnswer).
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Customer.io",
		Group: hookbridge.GroupCustomerMessaging,
		Description: "Trigger Customer.io campaigns and journeys from payment events: " +
			"track payments and subscription changes as events on the customer, and keep " +
			"their attributes up to date, through the Track API.",
		Logo:        logo,
		Docs:        "docs/integrations/customerio.md",
		Credentials: credentialFields(),
		Hosts:       []string{HostUS, HostEU},
		Regions: &kit.Regions{Field: FieldRegion, Default: RegionUS,
			Hosts: map[string]string{RegionUS: HostUS, RegionEU: HostEU}},
		DefaultURL:             DefaultURL,
		Auth:                   kit.Basic(FieldSiteID, FieldAPIKey),
		RateLimit:              &hookbridge.RateLimitDefault{Requests: RequestsPerSecond},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templateSpecs),
		Prepare:                prepareTrack,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Batch:                  batcher{},
		Verify:                 verify,
	})
}

func credentialFields() []hookbridge.CredentialField {
	return []hookbridge.CredentialField{
		{
			Name:     FieldSiteID,
			Label:    "Site ID",
			Help:     "In Customer.io: Settings → Account Settings → API Credentials → Track API keys. The Site ID of the workspace that should receive the events.",
			Required: true,
			Check:    checkSiteID,
		},
		{
			Name:     FieldAPIKey,
			Label:    "API key",
			Help:     "The Track API key shown next to that Site ID (not an App API key).",
			Secret:   true,
			Required: true,
		},
		{
			Name:    FieldRegion,
			Label:   "Region",
			Help:    "Where your Customer.io account is hosted: us (track.customer.io) or eu (track-eu.customer.io). Requests are sent to that region's host.",
			Choices: []string{RegionUS, RegionEU},
			Default: RegionUS,
		},
	}
}

// checkSiteID refuses what cannot be the user part of Basic credentials.
func checkSiteID(v string) string {
	if outbound.HasSeparator(v) {
		return "a Site ID has no colons or spaces: copy it from Customer.io's API Credentials page"
	}
	return ""
}

// logo is an original monogram, not Customer.io's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Customer.io"><rect width="64" height="64" rx="14" fill="#1F8A5B"/><text x="32" y="43" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">C</text></svg>`

package amplitude

import (
	"embed"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "amplitude"

// Credential field names.
const (
	FieldAPIKey = "api_key"
	FieldRegion = "region"
)

// Data residency regions and their ingestion hosts.
const (
	RegionUS = "us"
	RegionEU = "eu"

	HostUS = "api2.amplitude.com"
	HostEU = "api.eu.amplitude.com"
)

// UploadPath is the HTTP V2 API's path.
const UploadPath = "/2/httpapi"

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + HostUS + UploadPath

// Hosts are Amplitude's ingestion hosts, every region's.
var Hosts = []string{HostUS, HostEU}

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Amplitude integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the Amplitude integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "Amplitude",
		Group: hookbridge.GroupAnalytics,
		Description: "Send payment, subscription, refund and dispute events to Amplitude, with revenue " +
			"in the currency's own units, deduplicated by insert_id.",
		Logo:        logo,
		Docs:        "docs/integrations/amplitude.md",
		Credentials: credentialFields(),
		Hosts:       Hosts,
		Regions: &kit.Regions{Field: FieldRegion, Default: RegionUS,
			Hosts: map[string]string{RegionUS: HostUS, RegionEU: HostEU}},
		DefaultURL: DefaultURL,
		// The API key goes in the body: Prepare puts it there.
		Auth: nil,
		// Amplitude asks Starter projects for at most 100 requests a
		// second (and 1,000 events); larger plans allow more.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 100, Burst: 10},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templates),
		Prepare:                prepare,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
		Batch:                  batcher{},
	}
}

func credentialFields() []hookbridge.CredentialField {
	return []hookbridge.CredentialField{
		{
			Name: FieldAPIKey, Label: "API key",
			Help:   "In Amplitude: Organization settings → Projects → your project → General → API Key. It goes in each request's body; a wrong key is answered 400 Invalid API key.",
			Secret: true, Required: true, Check: checkAPIKey,
		},
		{
			Name: FieldRegion, Label: "Data residency",
			Help:    "Where the project's data lives: us (api2.amplitude.com) or eu (api.eu.amplitude.com). A project in the EU data center does not know its key on the US host.",
			Choices: []string{RegionUS, RegionEU}, Default: RegionUS,
		},
	}
}

// checkAPIKey refuses what cannot be an API key.
func checkAPIKey(v string) string {
	if outbound.HasSeparator(v) || len(v) < 8 {
		return "is not an API key: copy it from the project's General settings"
	}
	return ""
}

// logo is an original monogram, not Amplitude's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Amplitude"><rect width="64" height="64" rx="14" fill="#1E61D6"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">A</text></svg>`

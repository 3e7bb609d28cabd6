package mixpanel

import (
	"embed"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "mixpanel"

// Credential field names.
const (
	FieldUsername  = "service_account_username"
	FieldSecret    = "service_account_secret"
	FieldProjectID = "project_id"
	FieldRegion    = "region"
)

// Data residency regions and their ingestion hosts.
const (
	RegionUS    = "us"
	RegionEU    = "eu"
	RegionIndia = "in"

	HostUS    = "api.mixpanel.com"
	HostEU    = "api-eu.mixpanel.com"
	HostIndia = "api-in.mixpanel.com"
)

// ImportPath is the Import Events API's path.
const ImportPath = "/import"

// DefaultURL is where a handler's request goes unless it sets webhook.url:
// the import in strict mode, which reports each refused event.
const DefaultURL = "https://" + HostUS + ImportPath + "?strict=1"

// Hosts are Mixpanel's ingestion hosts, every region's.
var Hosts = []string{HostUS, HostEU, HostIndia}

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Mixpanel integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the Mixpanel integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "Mixpanel",
		Group: hookbridge.GroupAnalytics,
		Description: "Import payment, subscription, refund and dispute events into Mixpanel, with revenue " +
			"in the currency's own units, deduplicated by $insert_id.",
		Logo:        logo,
		Docs:        "docs/integrations/mixpanel.md",
		Credentials: credentialFields(),
		Hosts:       Hosts,
		Regions: &kit.Regions{Field: FieldRegion, Default: RegionUS,
			Hosts: map[string]string{RegionUS: HostUS, RegionEU: HostEU, RegionIndia: HostIndia}},
		DefaultURL: DefaultURL,
		Auth:       kit.Basic(FieldUsername, FieldSecret),
		// Mixpanel allows 2 GB of JSON a minute (about 30,000 events a
		// second) per project; 10 requests a second of up to 2,000 events
		// stays below it.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 10, Burst: 10},
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
			Name: FieldUsername, Label: "Service account username",
			Help:     "In Mixpanel: Organization Settings → Service Accounts → Add Service Account, with the Owner or Admin role on the project. Its username looks like name.123456.mp-service-account.",
			Required: true, Check: checkBasicPart,
		},
		{
			Name: FieldSecret, Label: "Service account secret",
			Help:   "Shown once, when the service account is created. A wrong secret is answered 401.",
			Secret: true, Required: true, Check: checkBasicPart,
		},
		{
			Name: FieldProjectID, Label: "Project ID",
			Help:     "In Mixpanel: Project Settings → Overview → Project ID (a number). Service accounts need it on every import.",
			Required: true, Check: checkProjectID,
		},
		{
			Name: FieldRegion, Label: "Data residency",
			Help:    "Where the project's data lives: us (api.mixpanel.com), eu (api-eu.mixpanel.com) or in (api-in.mixpanel.com). Events sent to another region's host are refused.",
			Choices: []string{RegionUS, RegionEU, RegionIndia}, Default: RegionUS,
		},
	}
}

// checkBasicPart refuses what cannot be part of Basic credentials.
func checkBasicPart(v string) string {
	if outbound.HasSeparator(v) {
		return "has a colon or a space: copy it from the service account as it is shown"
	}
	return ""
}

// checkProjectID refuses a project id that is not a number.
func checkProjectID(v string) string {
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return "is a number: copy it from Project Settings → Overview"
	}
	return ""
}

// logo is an original monogram, not Mixpanel's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Mixpanel"><rect width="64" height="64" rx="14" fill="#4B3F8F"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="32" font-weight="700" fill="#FFFFFF">Mp</text></svg>`

package customerio

import (
	"slices"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
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

// regionHosts maps each region to its Track API host.
var regionHosts = map[string]string{RegionUS: HostUS, RegionEU: HostEU}

// Integration is the Customer.io integration. Its zero value is not ready:
// use New.
type Integration struct {
	info hookbridge.IntegrationInfo
}

var _ hookbridge.Integration = (*Integration)(nil)

// New returns the Customer.io integration.
func New() *Integration {
	return &Integration{info: hookbridge.IntegrationInfo{
		ID:    ID,
		Name:  "Customer.io",
		Group: hookbridge.GroupCustomerMessaging,
		Description: "Trigger Customer.io campaigns and journeys from payment events: " +
			"track payments and subscription changes as events on the customer, and keep " +
			"their attributes up to date, through the Track API.",
		Logo:                   logo,
		DefaultURL:             DefaultURL,
		Hosts:                  []string{HostUS, HostEU},
		Credentials:            credentialFields(),
		Templates:              templates(),
		RequiresTransformation: true,
	}}
}

// Info describes the integration. The slices are copies: changing them
// does not change the integration.
func (in *Integration) Info() hookbridge.IntegrationInfo {
	info := in.info
	info.Hosts = slices.Clone(info.Hosts)
	info.Credentials = slices.Clone(info.Credentials)
	info.Templates = slices.Clone(info.Templates)
	return info
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

// hostForRegion returns the Track API host of region ("" means us).
func hostForRegion(region string) (string, error) {
	return outbound.RegionHost("customer.io", regionHosts, RegionUS, region)
}

// logo is an original monogram, not Customer.io's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Customer.io"><rect width="64" height="64" rx="14" fill="#1F8A5B"/><text x="32" y="43" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">C</text></svg>`

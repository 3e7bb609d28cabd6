package segment

import (
	"slices"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
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

var regionHosts = map[string]string{RegionUS: HostUS, RegionEU: HostEU}

// Integration is the Segment integration. Its zero value is not ready: use
// New.
type Integration struct {
	info hookbridge.IntegrationInfo
}

var _ hookbridge.Integration = (*Integration)(nil)

// New returns the Segment integration.
func New() *Integration {
	return &Integration{info: hookbridge.IntegrationInfo{
		ID:    ID,
		Name:  "Segment",
		Group: hookbridge.GroupAnalytics,
		Description: "Track payment, subscription and customer events in Segment, and from there " +
			"in every tool connected to your workspace, through the HTTP Tracking API.",
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

// hostForRegion returns the Tracking API host of region ("" means us).
func hostForRegion(region string) (string, error) {
	return outbound.RegionHost("segment", regionHosts, RegionUS, region)
}

// logo is an original monogram, not Segment's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Segment"><rect width="64" height="64" rx="14" fill="#3A5BA0"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">S</text></svg>`

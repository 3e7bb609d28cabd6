package kit

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// Spec describes an integration. Only ID, Name, Group and Description are
// required; every other field adds a behaviour when set.
type Spec struct {
	ID          string
	Name        string
	Group       string // one of the hookbridge.Group constants
	Description string
	// Logo is an SVG image: an original monogram, never the tool's mark.
	Logo string
	// Docs is the documentation page, docs/integrations/<id>.md.
	Docs        string
	Credentials []hookbridge.CredentialField
	// Hosts are the tool's API hosts, every region's: credentials go there
	// and nowhere else.
	Hosts []string
	// Regions, if set, moves every request on Hosts to the host of the
	// region the credentials choose.
	Regions *Regions
	// DefaultURL is webhook.url before the handler runs.
	DefaultURL string
	// URLCredential names the credential that holds the destination URL
	// (see hookbridge.IntegrationInfo.URLCredential). Use URLField to
	// declare it.
	URLCredential string
	// URLHosts are the host patterns the URL credential may name
	// ("hooks.slack.com", "*.zapier.com"); none means any https host (a
	// self-hosted tool), and then the URL's own host is the tool's.
	URLHosts []string
	// HostCredential names a credential holding another host the tool is
	// reached at (a self-hosted or proxied API, "inngest.acme.internal"):
	// when set it is the tool's, like Hosts. With the credentials unknown
	// (Validate, ReadAnswer) any host is taken as the tool's, as for a
	// self-hosted URL credential.
	HostCredential string
	// Auth adds the credentials to a request on the tool's hosts; nil
	// adds none (the URL carries the token).
	Auth Auth
	// RateLimit is a new endpoint's default rate limit.
	RateLimit *hookbridge.RateLimitDefault
	// RequiresTransformation: the tool does not take the payment event as
	// it is.
	RequiresTransformation bool
	Templates              []hookbridge.Template
	// Prepare does what is the tool's own to a request on its hosts, after
	// the kit has moved, authenticated and typed it: ids from the
	// idempotency key, credentials that go in the body.
	Prepare func(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error
	// Validate lists what the tool would reject or misfile in a request on
	// its hosts (https is checked by the kit).
	Validate func(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem
	// ReadAnswer reads the tool's answers (see hookbridge.AnswerReader).
	ReadAnswer func(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading
	// Batch, if set, packs several deliveries into one request.
	Batch hookbridge.Batcher
	// Verify, if set, is how the tool's credentials are checked (see
	// hookbridge.Verifier); nil says there is no harmless call, or for a
	// URL credential checks the URL alone.
	Verify *Verify
}

// Regions are a tool's regional API hosts.
type Regions struct {
	// Field is the credential choosing the region.
	Field string
	// Default is the region of an empty Field.
	Default string
	// Hosts maps each region to its API host.
	Hosts map[string]string
	// CustomHostField, if set, names the credential holding the host of a
	// self-hosted install (see CustomHostCheck): when Field says
	// CustomRegion, requests go there. As the credentials are not known
	// when a request is validated or its answer read, every host counts as
	// the tool's then, as for a self-hosted URL credential.
	CustomHostField string
}

// CustomRegion is the region value that sends requests to the host in
// Regions.CustomHostField.
const CustomRegion = "custom"

// host returns the API host the credentials choose ("" is the default
// region's).
func (r *Regions) host(name string, creds hookbridge.Credentials) (string, error) {
	region := creds[r.Field]
	if r.CustomHostField != "" && region == CustomRegion {
		return customHost(name, creds[r.CustomHostField])
	}
	return outbound.RegionHost(name, r.Hosts, r.Default, region)
}

// customHost reads the host name of a self-hosted install from its
// credential: a bare host name or an https URL.
func customHost(name, value string) (string, error) {
	if value == "" {
		return "", fmt.Errorf("%s region %q needs the host of your install", name, CustomRegion)
	}
	if !strings.Contains(value, "://") {
		value = "https://" + value
	}
	u, err := url.Parse(value)
	if err != nil || outbound.Host(u) == "" {
		return "", fmt.Errorf("%s host %q is not a host name", name, value)
	}
	return outbound.Host(u), nil
}

// CustomHostCheck checks the credential holding a self-hosted install's
// host (see Regions.CustomHostField): a host name, or an https URL with no
// user, path or query. It suits hookbridge.CredentialField.Check.
func CustomHostCheck(v string) string {
	raw := strings.TrimSpace(v)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Hostname() == "":
		return "is not a host name: give it as posthog.example.com or https://posthog.example.com"
	case u.Scheme != "https":
		return "must be served over https"
	case u.User != nil:
		return "must not carry a user name or password"
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "":
		return "must be the host alone, without a path or query"
	}
	return ""
}

// Integration is an integration built from a Spec.
type Integration struct {
	spec Spec
}

var (
	_ hookbridge.Integration  = (*Integration)(nil)
	_ hookbridge.AnswerReader = (*Integration)(nil)
)

// batching is an Integration whose tool takes batches.
type batching struct {
	*Integration
	hookbridge.Batcher
}

// New builds the integration spec describes. It panics on a Spec that
// cannot work (no ID or name, an unknown group, a URL credential that is
// not declared): those are mistakes its package's tests catch.
func New(spec Spec) hookbridge.Integration {
	if err := spec.check(); err != nil {
		panic("kit: " + spec.ID + ": " + err.Error())
	}
	in := &Integration{spec: spec}
	if spec.Batch != nil {
		return batching{Integration: in, Batcher: spec.Batch}
	}
	return in
}

// groups are the catalogue's groups.
var groups = []string{
	hookbridge.GroupPlainURL, hookbridge.GroupAnalytics, hookbridge.GroupCustomerMessaging,
	hookbridge.GroupTeamNotifications, hookbridge.GroupAutomation, hookbridge.GroupEmail, hookbridge.GroupCRM,
}

func (s *Spec) check() error {
	switch {
	case s.ID == "" || s.Name == "":
		return fmt.Errorf("a spec needs an ID and a Name")
	case !slices.Contains(groups, s.Group):
		return fmt.Errorf("group %q is not one of %s", s.Group, strings.Join(groups, ", "))
	case s.URLCredential != "" && !slices.ContainsFunc(s.Credentials, func(f hookbridge.CredentialField) bool {
		return f.Name == s.URLCredential && f.Secret
	}):
		return fmt.Errorf("URL credential %q is not declared as a secret field", s.URLCredential)
	case s.Regions != nil && len(s.Regions.Hosts) == 0:
		return fmt.Errorf("regions without hosts")
	case s.Regions != nil && s.Regions.CustomHostField != "" && !slices.ContainsFunc(s.Credentials, func(f hookbridge.CredentialField) bool {
		return f.Name == s.Regions.CustomHostField
	}):
		return fmt.Errorf("custom host credential %q is not declared", s.Regions.CustomHostField)
	case s.HostCredential != "" && !slices.ContainsFunc(s.Credentials, func(f hookbridge.CredentialField) bool {
		return f.Name == s.HostCredential
	}):
		return fmt.Errorf("host credential %q is not declared", s.HostCredential)
	}
	return nil
}

// Info describes the integration. Its slices are copies.
func (in *Integration) Info() hookbridge.IntegrationInfo {
	s := in.spec
	var rate *hookbridge.RateLimitDefault
	if s.RateLimit != nil {
		r := *s.RateLimit
		rate = &r
	}
	templates := slices.Clone(s.Templates)
	for i := range templates {
		templates[i].EventTypes = slices.Clone(templates[i].EventTypes)
	}
	return hookbridge.IntegrationInfo{
		ID: s.ID, Name: s.Name, Group: s.Group, Description: s.Description, Logo: s.Logo, Docs: s.Docs,
		DefaultURL: s.DefaultURL, URLCredential: s.URLCredential,
		Hosts:       slices.Clone(s.Hosts),
		Credentials: slices.Clone(s.Credentials),
		Templates:   templates,
		RateLimit:   rate,

		RequiresTransformation: s.RequiresTransformation,
	}
}

// Prepare makes a transformed request ready for the tool. A request to
// any host but the tool's is left exactly as it is: the credentials never
// go anywhere else. On the tool's host it sets the default method, moves
// the request to the credentials' region, adds authentication and the
// JSON content type, then runs the spec's own Prepare.
func (in *Integration) Prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, err := url.Parse(req.URL)
	if err != nil || !in.ownsHost(outbound.Host(u), creds) {
		return nil
	}
	outbound.DefaultMethod(req)
	if r := in.spec.Regions; r != nil {
		host, err := r.host(in.spec.Name, creds)
		if err != nil {
			return err
		}
		if outbound.Host(u) != host {
			if err := outbound.MoveHost(req, host); err != nil {
				return fmt.Errorf("move to the %s region host: %w", in.spec.Name, err)
			}
		}
	}
	if in.spec.Auth != nil {
		if err := in.spec.Auth(req, creds); err != nil {
			return fmt.Errorf("authenticate to %s: %w", in.spec.Name, err)
		}
	}
	if len(req.Body) > 0 {
		outbound.SetDefaultHeader(req, "Content-Type", "application/json")
	}
	if in.spec.Prepare != nil {
		return in.spec.Prepare(req, creds, sc)
	}
	return nil
}

// Validate lists what the tool would reject in a prepared request: a
// request elsewhere gets one warning (it carries no credentials and
// cannot be checked), a request over plain http one problem, and the rest
// is the spec's rules.
func (in *Integration) Validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	u, err := url.Parse(req.URL)
	if err != nil {
		return []hookbridge.Problem{Problem("url", "the URL does not parse: "+err.Error(), "set webhook.url to an https URL of "+in.spec.Name)}
	}
	if !in.ownsHost(outbound.Host(u), nil) {
		return []hookbridge.Problem{in.foreignHost(u)}
	}
	var ps []hookbridge.Problem
	if u.Scheme != "https" {
		ps = append(ps, Problem("url", in.spec.Name+" is served over https only", "use https://"+u.Host+u.RequestURI()))
	}
	if in.spec.Validate != nil {
		ps = append(ps, in.spec.Validate(req, now)...)
	}
	return ps
}

// ReadAnswer reads an answer to a request on the tool's hosts with the
// spec's ReadAnswer; a 401 or 403 it leaves without a reason gets one
// that names the credentials to check.
func (in *Integration) ReadAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if u, err := url.Parse(req.URL); err != nil || !in.ownsHost(outbound.Host(u), nil) {
		return hookbridge.AnswerReading{}
	}
	var reading hookbridge.AnswerReading
	if in.spec.ReadAnswer != nil {
		reading = in.spec.ReadAnswer(req, a)
	}
	if reading.Reason == "" {
		hint := in.credentialHint(a)
		reading.Reason, reading.Fix = hint.Reason, hint.Fix
	}
	return reading
}

// ownsHost reports whether host is the tool's: one of Hosts, one matching
// URLHosts, the host credential's, the custom region's host, or — for a
// self-hosted tool whose URL is a credential — the URL's own host (any
// host when creds are not known, as in Validate).
func (in *Integration) ownsHost(host string, creds hookbridge.Credentials) bool {
	if host == "" {
		return false
	}
	s := in.spec
	if slices.ContainsFunc(s.Hosts, func(h string) bool { return strings.EqualFold(h, host) }) {
		return true
	}
	if MatchHost(s.URLHosts, host) {
		return true
	}
	if r := s.Regions; r != nil && r.CustomHostField != "" {
		if creds == nil {
			return true
		}
		custom, err := r.host(s.Name, creds)
		return err == nil && creds[r.Field] == CustomRegion && strings.EqualFold(custom, host)
	}
	if s.HostCredential != "" && (creds == nil || strings.EqualFold(creds[s.HostCredential], host)) {
		return true
	}
	if s.URLCredential == "" || len(s.URLHosts) > 0 {
		return false
	}
	if creds == nil {
		return true
	}
	u, err := url.Parse(creds[s.URLCredential])
	return err == nil && strings.EqualFold(outbound.Host(u), host)
}

// foreignHost is the warning for a request that leaves the tool's hosts:
// it names the host (the whole URL when it has none), each of Hosts and
// URLHosts once, and, as the fix, the tool's default URL when it has one.
func (in *Integration) foreignHost(u *url.URL) hookbridge.Problem {
	s := in.spec
	hosts := slices.Clone(s.Hosts)
	for _, h := range s.URLHosts {
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	host := outbound.Host(u)
	if host == "" {
		host = strconv.Quote(u.String())
	}
	fix := "set webhook.url to one of " + s.Name + "'s hosts, or use a plain URL endpoint for other destinations"
	if s.DefaultURL != "" {
		fix = fmt.Sprintf("set webhook.url = %q (or another %s URL), or use a plain URL endpoint for other destinations", s.DefaultURL, s.Name)
	}
	return Warning("url",
		fmt.Sprintf("%s is not a %s host (%s): the request is sent as it is, without credentials (they are not sent to other hosts), and it is not checked against %s's rules",
			host, s.Name, strings.Join(hosts, ", "), s.Name),
		fix)
}

// MatchHost reports whether host matches one of patterns: a host name, or
// "*.example.com" for any name under example.com (not example.com
// itself). Case is ignored.
func MatchHost(patterns []string, host string) bool {
	host = strings.ToLower(host)
	for _, p := range patterns {
		p = strings.ToLower(p)
		if suffix, ok := strings.CutPrefix(p, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
		} else if p == host {
			return true
		}
	}
	return false
}

// Problem is a problem the tool rejects a request for.
func Problem(field, message, fix string) hookbridge.Problem {
	return hookbridge.Problem{Field: field, Message: message, Fix: fix}
}

// Warning is a problem the tool accepts the request with, but acts on
// differently than meant.
func Warning(field, message, fix string) hookbridge.Problem {
	return hookbridge.Problem{Field: field, Message: message, Fix: fix, Warning: true}
}

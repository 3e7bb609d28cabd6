package outbound

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// OnHost reports whether req goes to one of hosts (compared without case
// and without port).
func OnHost(req *hookbridge.OutboundRequest, hosts []string) bool {
	_, ok := ParseOnHost(req, hosts)
	return ok
}

// ParseOnHost parses the request URL and reports whether it goes to one of
// hosts, as OnHost does, so that a caller needing the URL too parses it
// once.
func ParseOnHost(req *hookbridge.OutboundRequest, hosts []string) (*url.URL, bool) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, false
	}
	host := Host(u)
	return u, host != "" && slices.ContainsFunc(hosts, func(h string) bool { return strings.EqualFold(h, host) })
}

// Host returns the lower-cased host name of u, as
// hookbridge.OutboundRequest.Host does for a request's URL.
func Host(u *url.URL) string {
	return strings.ToLower(u.Hostname())
}

// MoveHost sends req to host instead, keeping scheme, port, path and query.
func MoveHost(req *hookbridge.OutboundRequest, host string) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return fmt.Errorf("parse request URL: %w", err)
	}
	if port := u.Port(); port != "" {
		host += ":" + port
	}
	u.Host = host
	req.URL = u.String()
	return nil
}

// DefaultMethod makes an empty method POST, the transformation contract's
// default.
func DefaultMethod(req *hookbridge.OutboundRequest) {
	if req.Method == "" {
		req.Method = http.MethodPost
	}
}

// SetDefaultHeader sets a header only if the request has none of that name.
func SetDefaultHeader(req *hookbridge.OutboundRequest, name, value string) {
	if req.Header(name) == "" {
		req.SetHeader(name, value)
	}
}

// BasicAuth returns an Authorization header value for HTTP Basic
// authentication.
func BasicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// Path returns the path of the request URL, "" if it does not parse.
func Path(req *hookbridge.OutboundRequest) string {
	u, err := url.Parse(req.URL)
	if err != nil {
		return ""
	}
	return u.Path
}

// TrimmedPath is Path without a trailing slash: "/emails/" is "/emails".
func TrimmedPath(req *hookbridge.OutboundRequest) string {
	return strings.TrimSuffix(Path(req), "/")
}

// RegionHost returns the API host hosts gives region, or the default
// region's when region is empty; integration names the integration in the
// error.
func RegionHost(integration string, hosts map[string]string, defaultRegion, region string) (string, error) {
	if region == "" {
		region = defaultRegion
	}
	host, ok := hosts[region]
	if !ok {
		return "", fmt.Errorf("%s region %q is not one of %s", integration, region, strings.Join(slices.Sorted(maps.Keys(hosts)), ", "))
	}
	return host, nil
}

// HasSeparator reports whether v holds a colon, a space, a tab or a line
// break: none can be part of an account id or API key, and each would
// break the Authorization header built from it.
func HasSeparator(v string) bool {
	return strings.ContainsAny(v, ": \t\r\n")
}

package customerio

import (
	"net/http"
	"net/url"
	"strings"
)

// routeKind is one of the Track API routes this integration knows.
type routeKind int

const (
	routeUnknown        routeKind = iota
	routeEntity                   // POST /api/v2/entity
	routeBatch                    // POST /api/v2/batch
	routeCustomer                 // PUT or DELETE /api/v1/customers/{id}
	routeCustomerEvents           // POST /api/v1/customers/{id}/events
	routeAnonymousEvent           // POST /api/v1/events
	routeRegion                   // GET /api/v1/accounts/region
)

// route is a matched request path.
type route struct {
	kind routeKind
	// customerID is the unescaped {id} of the v1 customer routes.
	customerID string
	// methods are those the route accepts.
	methods []string
}

// matchRoute finds the Track API route of a request URL. A trailing slash
// is ignored.
func matchRoute(rawURL string) route {
	u, err := url.Parse(rawURL)
	if err != nil {
		return route{}
	}
	return matchURLRoute(u)
}

// matchURLRoute is matchRoute on a parsed URL.
func matchURLRoute(u *url.URL) route {
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	switch path {
	case "/api/v2/entity":
		return route{kind: routeEntity, methods: []string{http.MethodPost}}
	case "/api/v2/batch":
		return route{kind: routeBatch, methods: []string{http.MethodPost}}
	case "/api/v1/events":
		return route{kind: routeAnonymousEvent, methods: []string{http.MethodPost}}
	case "/api/v1/accounts/region":
		return route{kind: routeRegion, methods: []string{http.MethodGet}}
	}
	rest, ok := strings.CutPrefix(path, "/api/v1/customers/")
	if !ok {
		return route{}
	}
	segments := strings.Split(rest, "/")
	id, err := url.PathUnescape(segments[0])
	if err != nil || id == "" {
		return route{}
	}
	switch {
	case len(segments) == 1:
		return route{kind: routeCustomer, customerID: id, methods: []string{http.MethodPut, http.MethodDelete}}
	case len(segments) == 2 && segments[1] == "events":
		return route{kind: routeCustomerEvents, customerID: id, methods: []string{http.MethodPost}}
	}
	return route{}
}

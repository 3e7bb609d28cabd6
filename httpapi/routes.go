package httpapi

import (
	"net/http"
	"strings"
)

// Access says who may call a route.
type Access int

const (
	// Public routes need no token: health checks, sign-in, the OpenAPI
	// description, metrics, and signed-webhook ingest (which checks a
	// signature instead).
	Public Access = iota
	// Authenticated routes need an API token or a dashboard session; an
	// app-scoped one sees only its own app.
	Authenticated
)

// Route is one route the server answers: a method and a path pattern as
// net/http.ServeMux reads them ("/api/v1/apps/{app}").
type Route struct {
	Method string
	Path   string
	Access Access
}

// Routes returns every route of the server, in the order they were
// registered; the dashboard's catch-all is not among them. Tests walk this
// list so that no route escapes a check.
func (s *Server) Routes() []Route {
	return append([]Route(nil), s.routeList...)
}

func (s *Server) routes() {
	s.handle("GET /healthz", Public, s.healthz)
	s.handle("GET /readyz", Public, s.readyz)
	if s.metrics != nil {
		s.handle("GET /metrics", Public, s.serveMetrics)
	}
	s.handle("GET /api/v1/openapi.json", Public, s.serveOpenAPI)

	s.handle("POST /auth/login", Public, s.login)
	s.handle("GET /auth/session", Public, s.currentSession)
	s.handle("POST /auth/logout", Public, s.logout)
	s.handle("GET /auth/portal", Public, s.portalSignIn)

	s.handle("GET /api/v1/nodes", Authenticated, s.listNodes)

	s.handle("GET /api/v1/integrations", Authenticated, s.listIntegrations)
	s.handle("GET /api/v1/event-types", Authenticated, s.listEventTypes)
	s.handle("GET /api/v1/event-types/{name}", Authenticated, s.getEventType)
	s.slackOAuthRoutes()

	s.handle("POST /api/v1/apps", Authenticated, s.createApp)
	s.handle("GET /api/v1/apps", Authenticated, s.listApps)
	s.handle("GET /api/v1/apps/{app}", Authenticated, loading(s.appFor, s.getApp))
	s.handle("PATCH /api/v1/apps/{app}", Authenticated, s.updateAppSettings)

	s.handle("POST /api/v1/apps/{app}/tokens", Authenticated, loading(s.appFor, s.createToken))
	s.handle("GET /api/v1/apps/{app}/tokens", Authenticated, loading(s.appFor, s.listTokens))
	s.handle("DELETE /api/v1/apps/{app}/tokens/{id}", Authenticated, loading(s.appFor, s.revokeToken))
	s.handle("POST /api/v1/apps/{app}/portal-link", Authenticated, loading(s.appFor, s.createPortalLink))
	s.handle("GET /api/v1/apps/{app}/audit-log", Authenticated, loading(s.appFor, s.listAudit))

	s.handle("POST /api/v1/apps/{app}/endpoints", Authenticated, loading(s.appFor, s.createEndpoint))
	s.handle("GET /api/v1/apps/{app}/endpoints", Authenticated, loading(s.appFor, s.listEndpoints))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}", Authenticated, loading(s.endpointFor, s.getEndpoint))
	s.handle("PATCH /api/v1/apps/{app}/endpoints/{id}", Authenticated, loading(s.endpointFor, s.updateEndpoint))
	s.handle("DELETE /api/v1/apps/{app}/endpoints/{id}", Authenticated, loading(s.appFor, s.deleteEndpoint))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}/deliveries", Authenticated, loading(s.endpointFor, s.listEndpointDeliveries))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/recover", Authenticated, loading(s.endpointFor, s.recoverEndpoint))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/rotate-secret", Authenticated, loading(s.endpointFor, s.rotateEndpointSecret))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/transformation/preview", Authenticated, loading(s.endpointFor, s.previewTransformation))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/verify", Authenticated, loading(s.endpointFor, s.verifyEndpoint))
	s.handle("POST /api/v1/apps/{app}/integrations/{integration}/verify", Authenticated, loading(s.appFor, s.verifyCredentials))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}/transformation/versions", Authenticated, loading(s.endpointFor, s.listVersions))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}/transformation/versions/{n}", Authenticated, loading(s.endpointFor, s.getVersion))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/transformation/versions/{n}/restore", Authenticated, loading(s.endpointFor, s.restoreVersion))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}/transformation/diff", Authenticated, loading(s.endpointFor, s.diffVersions))
	s.handle("GET /api/v1/apps/{app}/endpoints/{id}/stats", Authenticated, loading(s.endpointFor, s.endpointStats))
	s.handle("POST /api/v1/apps/{app}/endpoints/{id}/send-test", Authenticated, loading(s.endpointFor, s.sendEndpointTest))
	s.handle("GET /api/v1/apps/{app}/operational-webhook", Authenticated, loading(s.appFor, s.getOperationalWebhook))
	s.handle("PUT /api/v1/apps/{app}/operational-webhook", Authenticated, loading(s.appFor, s.putOperationalWebhook))
	s.handle("DELETE /api/v1/apps/{app}/operational-webhook", Authenticated, loading(s.appFor, s.deleteOperationalWebhook))

	s.handleIngest("POST /api/v1/apps/{app}/messages", loading(s.appFor, s.createMessage))
	s.handle("GET /api/v1/apps/{app}/messages", Authenticated, loading(s.appFor, s.listMessages))
	s.handle("GET /api/v1/apps/{app}/messages/{id}", Authenticated, loading(s.appFor, s.getMessage))
	s.handle("POST /api/v1/apps/{app}/messages/{id}/resend", Authenticated, loading(s.appFor, s.resendMessage))
	s.handle("GET /api/v1/apps/{app}/customers/{customer}/timeline", Authenticated, loading(s.appFor, s.customerTimeline))

	s.handle("GET /api/v1/apps/{app}/deliveries", Authenticated, loading(s.appFor, s.listDeliveries))
	s.handle("GET /api/v1/apps/{app}/deliveries/{id}", Authenticated, loading(s.appFor, s.getDelivery))
	s.handle("POST /api/v1/apps/{app}/deliveries/retry-failed", Authenticated, loading(s.appFor, s.retryFailedDeliveries))
	s.handle("GET /api/v1/apps/{app}/overview", Authenticated, loading(s.appFor, s.appOverview))
	s.handle("GET /api/v1/apps/{app}/deliveries/{id}/attempts", Authenticated, loading(s.appFor, s.listAttempts))
	s.handle("POST /api/v1/apps/{app}/deliveries/{id}/retry", Authenticated, loading(s.appFor, s.retryDelivery))

	s.handle("POST /api/v1/apps/{app}/transformations/test", Authenticated, loading(s.appFor, s.testTransformation))

	s.handle("POST /api/v1/apps/{app}/sources", Authenticated, loading(s.appFor, s.createSource))
	s.handle("GET /api/v1/apps/{app}/sources", Authenticated, loading(s.appFor, s.listSources))
	s.handle("GET /api/v1/apps/{app}/sources/{id}", Authenticated, loading(s.sourceFor, s.getSource))
	s.handle("PATCH /api/v1/apps/{app}/sources/{id}", Authenticated, loading(s.sourceFor, s.updateSource))
	s.handle("DELETE /api/v1/apps/{app}/sources/{id}", Authenticated, loading(s.appFor, s.deleteSource))
	s.handle("POST /api/v1/apps/{app}/sources/{id}/rotate-secret", Authenticated, loading(s.sourceFor, s.rotateSourceSecret))
	s.handle("POST /api/v1/apps/{app}/sources/{id}/send-sample", Authenticated, loading(s.sourceFor, s.sendSourceSample))
	s.handle("POST /ingest/{source}", Public, s.ingestWebhook)

	if s.dashboard != nil {
		s.mux.Handle("/", s.dashboard)
	}
	// Anything else under the API is a JSON 404, not the dashboard.
	s.mux.Handle("/api/", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusNotFound, "not_found", "no API route %s %s", r.Method, r.URL.Path)
	}))
}

// handle registers a route and records it for Routes.
func (s *Server) handle(pattern string, access Access, h handlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routeList = append(s.routeList, Route{Method: method, Path: path, Access: access})
	h = checkRequestText(path, h)
	if access == Authenticated {
		s.mux.Handle(pattern, s.authenticated(h, true))
		return
	}
	s.mux.Handle(pattern, s.public(h))
}

// handleIngest registers an authenticated route that takes events in. It is
// exempt from the management rate limit: a platform posting its events is
// not an operator clicking through the API, and throttling it would push
// events back onto the platform's retries.
func (s *Server) handleIngest(pattern string, h handlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routeList = append(s.routeList, Route{Method: method, Path: path, Access: Authenticated})
	s.mux.Handle(pattern, s.authenticated(checkRequestText(path, h), false))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	err := s.writes.check(s.now())
	if err == nil {
		err = s.ready(r.Context())
	}
	if err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

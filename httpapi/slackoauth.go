package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/integration/slack"
)

// SlackOAuth configures "Add to Slack": the OAuth v2 flow of a Slack app
// with the incoming-webhook scope, in which a user picks a channel and
// Slack returns a new incoming webhook for it. The operator creates the
// Slack app and gives its client id and secret.
type SlackOAuth struct {
	ClientID     string
	ClientSecret string
	// RedirectURL is the public URL of the callback route,
	// https://<host>/api/v1/integrations/slack/oauth/callback, as entered in
	// the Slack app's Redirect URLs; "" derives it from each start request.
	RedirectURL string
	// Client calls Slack's oauth.v2.access (the node's outbound client,
	// which applies host overrides); nil is http.DefaultClient.
	Client *http.Client
}

// Slack's OAuth v2 endpoints.
const (
	slackAuthorizeURL = "https://slack.com/oauth/v2/authorize"
	slackAccessURL    = "https://slack.com/api/oauth.v2.access"
	slackOAuthScope   = "incoming-webhook"
	// slackCallbackPath is where Slack sends the user back.
	slackCallbackPath = "/api/v1/integrations/slack/oauth/callback"
	// slackStateTTL is how long a started flow may take.
	slackStateTTL = 10 * time.Minute
)

// slackOAuthFlow runs "Add to Slack". Its states are sealed with the
// sessions' cipher, so any node can finish a flow another started; each
// state is taken once on the node that sees it.
type slackOAuthFlow struct {
	cfg SlackOAuth

	mu   sync.Mutex
	used map[string]time.Time // state nonce → when it expires
}

// newSlackOAuthFlow is nil — "Add to Slack" disabled — unless both the
// client id and secret are set.
func newSlackOAuthFlow(cfg *SlackOAuth) *slackOAuthFlow {
	if cfg == nil || cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil
	}
	c := *cfg
	if c.Client == nil {
		c.Client = http.DefaultClient
	}
	return &slackOAuthFlow{cfg: c, used: map[string]time.Time{}}
}

// slackState is what a flow's state parameter carries, sealed.
type slackState struct {
	App         string    `json:"app"`
	TokenID     string    `json:"token_id"`
	Nonce       string    `json:"nonce"`
	RedirectURI string    `json:"redirect_uri"`
	Expires     time.Time `json:"expires"`
}

// slackOAuthRoutes registers the routes of "Add to Slack".
func (s *Server) slackOAuthRoutes() {
	s.handle("GET /api/v1/integrations/slack/oauth", Authenticated, s.slackOAuthStatus)
	s.handle("POST /api/v1/apps/{app}/integrations/slack/oauth", Authenticated, loading(s.appFor, s.startSlackOAuth))
	s.handle("GET "+slackCallbackPath, Public, s.finishSlackOAuth)
}

// slackOAuthEnabled reports whether "Add to Slack" can run: it is configured and
// states can be sealed.
func (s *Server) slackOAuthEnabled() bool { return s.slackOAuth != nil && s.sessions != nil }

func (s *Server) slackOAuthStatus(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, slackOAuthStatus{Enabled: s.slackOAuthEnabled(), Scope: slackOAuthScope})
}

// slackOAuthStatus tells the dashboard whether to offer "Add to Slack".
type slackOAuthStatus struct {
	Enabled bool   `json:"enabled"`
	Scope   string `json:"scope"`
}

// startSlackOAuth answers the URL of Slack's consent page, with a state
// bound to the app and the caller's token that expires in ten minutes.
func (s *Server) startSlackOAuth(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	if !s.slackOAuthEnabled() {
		return errorf(http.StatusNotFound, "slack_oauth_disabled",
			"Add to Slack is not configured on this server: set HOOKBRIDGE_SLACK_CLIENT_ID and HOOKBRIDGE_SLACK_CLIENT_SECRET, or paste a webhook URL")
	}
	nonce, err := randomNonce()
	if err != nil {
		return err
	}
	st := slackState{App: app.ID, TokenID: tokenFrom(r.Context()).ID, Nonce: nonce,
		RedirectURI: s.slackRedirectURI(r), Expires: s.now().UTC().Add(slackStateTTL).Truncate(time.Second)}
	state, err := s.sealSlackState(st)
	if err != nil {
		return err
	}
	q := url.Values{"client_id": {s.slackOAuth.cfg.ClientID}, "scope": {slackOAuthScope},
		"state": {state}, "redirect_uri": {st.RedirectURI}}
	return writeJSON(w, http.StatusOK, slackOAuthStart{
		AuthorizeURL: slackAuthorizeURL + "?" + q.Encode(), RedirectURI: st.RedirectURI, ExpiresAt: st.Expires})
}

// slackOAuthStart is the answer that starts "Add to Slack".
type slackOAuthStart struct {
	AuthorizeURL string    `json:"authorize_url"`
	RedirectURI  string    `json:"redirect_uri"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// slackRedirectURI is the configured callback URL, or the callback route
// on the host the request came to.
func (s *Server) slackRedirectURI(r *http.Request) string {
	if u := s.slackOAuth.cfg.RedirectURL; u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + slackCallbackPath
}

func randomNonce() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make a state nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (s *Server) sealSlackState(st slackState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	sealed, err := s.sessions.Seal(plain)
	if err != nil {
		return "", fmt.Errorf("seal the Slack OAuth state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// errSlackState refuses a callback whose state this server did not make,
// that expired, or that was used before.
var errSlackState = errors.New("this Add to Slack link is not valid, has expired or was already used: start again from the endpoint's form")

// takeSlackState opens a callback's state and marks it used.
func (s *Server) takeSlackState(raw string) (slackState, error) {
	var st slackState
	sealed, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || raw == "" {
		return st, errSlackState
	}
	plain, err := s.sessions.Open(sealed)
	if err != nil || json.Unmarshal(plain, &st) != nil || st.Nonce == "" {
		return st, errSlackState
	}
	now := s.now()
	if !now.Before(st.Expires) || !s.slackOAuth.take(st.Nonce, st.Expires, now) {
		return st, errSlackState
	}
	return st, nil
}

// take marks nonce used until it expires; false if it already was.
func (f *slackOAuthFlow) take(nonce string, expires, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	maps.DeleteFunc(f.used, func(_ string, exp time.Time) bool { return !now.Before(exp) })
	if _, seen := f.used[nonce]; seen {
		return false
	}
	f.used[nonce] = expires
	return true
}

// slackGrant is what the flow gives the dashboard: the new webhook, to
// fill the endpoint's webhook_url credential with.
type slackGrant struct {
	App        string `json:"app"`
	WebhookURL string `json:"webhook_url"`
	Channel    string `json:"channel,omitempty"`
	ChannelID  string `json:"channel_id,omitempty"`
	Team       string `json:"team,omitempty"`
}

// slackOAuthResult is the callback's answer: a grant or an error.
type slackOAuthResult struct {
	Type  string           `json:"type"`
	Grant *slackGrant      `json:"grant,omitempty"`
	Error *slackOAuthError `json:"error,omitempty"`
}

// slackOAuthError is a flow that did not end with a webhook, for the
// page and the JSON answer.
type slackOAuthError struct {
	status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

// finishSlackOAuth is where Slack sends the user back: it checks the
// state, exchanges the code for the new incoming webhook, and hands the
// webhook to the dashboard window that started the flow. The webhook URL
// is a secret: it is neither logged nor stored here.
func (s *Server) finishSlackOAuth(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !s.slackOAuthEnabled() {
		return errorf(http.StatusNotFound, "slack_oauth_disabled", "Add to Slack is not configured on this server")
	}
	q := r.URL.Query()
	st, err := s.takeSlackState(q.Get("state"))
	if err != nil {
		writeSlackOAuthResult(w, r, nil, &slackOAuthError{status: http.StatusBadRequest, Code: "invalid_state", Message: err.Error()})
		return nil
	}
	if denied := q.Get("error"); denied != "" {
		writeSlackOAuthResult(w, r, nil, &slackOAuthError{status: http.StatusBadRequest, Code: "slack_" + safeName(denied),
			Message: "Slack did not grant the webhook (" + safeName(denied) + "): nothing was added"})
		return nil
	}
	grant, failure := s.exchangeSlackCode(r.Context(), st, q.Get("code"))
	if failure != nil {
		s.log.WarnContext(r.Context(), "Add to Slack failed", "app", st.App, "code", failure.Code)
		writeSlackOAuthResult(w, r, nil, failure)
		return nil
	}
	s.log.InfoContext(r.Context(), "Add to Slack granted a webhook", "app", st.App, "started_by", st.TokenID, "channel", grant.Channel)
	writeSlackOAuthResult(w, r, grant, nil)
	return nil
}

// slackAccess is oauth.v2.access's answer, in the parts the flow reads.
type slackAccess struct {
	OK              bool   `json:"ok"`
	Error           string `json:"error"`
	IncomingWebhook struct {
		URL       string `json:"url"`
		Channel   string `json:"channel"`
		ChannelID string `json:"channel_id"`
	} `json:"incoming_webhook"`
	Team struct {
		Name string `json:"name"`
	} `json:"team"`
}

// exchangeSlackCode trades the code for the webhook at oauth.v2.access,
// authenticating with the client id and secret (HTTP Basic).
func (s *Server) exchangeSlackCode(ctx context.Context, st slackState, code string) (*slackGrant, *slackOAuthError) {
	if code == "" {
		return nil, &slackOAuthError{status: http.StatusBadRequest, Code: "missing_code", Message: "Slack sent no code back: start again"}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	form := url.Values{"code": {code}, "redirect_uri": {st.RedirectURI}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, slackAccessURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, slackBadGateway("request_failed", err.Error())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.slackOAuth.cfg.ClientID, s.slackOAuth.cfg.ClientSecret)
	resp, err := s.slackOAuth.cfg.Client.Do(req)
	if err != nil {
		return nil, slackBadGateway("slack_unreachable", "Slack could not be reached: "+err.Error())
	}
	defer resp.Body.Close()
	var access slackAccess
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&access); err != nil {
		return nil, slackBadGateway("slack_answer_unreadable", fmt.Sprintf("Slack answered %d with a body that is not JSON", resp.StatusCode))
	}
	if !access.OK {
		name := safeName(access.Error)
		return nil, slackBadGateway("slack_"+name, "Slack refused the exchange: "+name+slackAccessFix(name))
	}
	hook := access.IncomingWebhook
	if msg := kit.CheckURL(hook.URL, []string{slack.Host}, slack.PathPrefix); msg != "" {
		return nil, slackBadGateway("no_incoming_webhook", "Slack granted no incoming webhook (the URL it sent "+msg+"): check that the app asks for the incoming-webhook scope")
	}
	return &slackGrant{App: st.App, WebhookURL: hook.URL, Channel: hook.Channel, ChannelID: hook.ChannelID, Team: access.Team.Name}, nil
}

func slackBadGateway(code, message string) *slackOAuthError {
	return &slackOAuthError{status: http.StatusBadGateway, Code: code, Message: message}
}

// slackAccessFix says what to do about oauth.v2.access's usual errors.
func slackAccessFix(name string) string {
	switch name {
	case "invalid_code", "code_already_used", "code_expired":
		return ": the code was used or is too old; start again"
	case "bad_client_secret", "invalid_client_id":
		return ": check HOOKBRIDGE_SLACK_CLIENT_ID and HOOKBRIDGE_SLACK_CLIENT_SECRET against the Slack app's Basic Information"
	case "bad_redirect_uri":
		return ": add " + slackCallbackPath + " on this server's public URL to the Slack app's Redirect URLs (OAuth & Permissions)"
	}
	return ""
}

// safeName keeps an error name from Slack to letters, digits and _.
func safeName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' {
			b.WriteRune(c)
		}
		if b.Len() >= 64 {
			break
		}
	}
	if b.Len() == 0 {
		return "unknown_error"
	}
	return b.String()
}

// writeSlackOAuthResult answers the callback: JSON to a caller that
// accepts it, else a page that posts the result to the dashboard window
// that opened it (on this origin only) and closes.
func writeSlackOAuthResult(w http.ResponseWriter, r *http.Request, grant *slackGrant, failure *slackOAuthError) {
	status := http.StatusOK
	result := slackOAuthResult{Type: "hookbridge.slack_oauth", Grant: grant, Error: failure}
	if failure != nil {
		status = failure.status
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, status, result)
		return
	}
	data, _ := json.Marshal(result)
	page := slackResultPage{Result: template.JS(data), Title: "Slack connected", Message: "The webhook is filled in the endpoint's form; this window closes."}
	if failure != nil {
		page.Title, page.Message = "Slack not connected", failure.Message
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src '"+slackResultScriptHash+"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = slackResultTemplate.Execute(w, page)
}

type slackResultPage struct {
	Title, Message string
	Result         template.JS
}

// slackResultScript posts the result to the opener on this origin.
const slackResultScript = `var r=JSON.parse(document.getElementById("result").textContent);if(window.opener){window.opener.postMessage(r,window.location.origin);window.close();}`

// slackResultScriptHash allows slackResultScript, and no other script, in
// the page's Content-Security-Policy.
var slackResultScriptHash = func() string {
	sum := sha256.Sum256([]byte(slackResultScript))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

var slackResultTemplate = template.Must(template.New("slack").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · hookbridge</title></head>
<body>
<main><h1>{{.Title}}</h1><p>{{.Message}}</p></main>
<script type="application/json" id="result">{{.Result}}</script>
<script>` + slackResultScript + `</script>
</body>
</html>
`))

package httpapi

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// The portal: what a platform embeds for its merchants. POST
// /api/v1/apps/{app}/portal-link makes a sign-in link for the dashboard,
// scoped to the app; GET /auth/portal?token=… (the link) starts a dashboard
// session and opens the dashboard.
//
// A link holds a token of its own, stored hashed like any other, with the
// prefix hbp_ so that it is refused everywhere but here. It expires after
// PortalLinkTTL and is revoked when used, so it signs in once. Signing in
// makes a second, app-scoped token for the session (expiring with it) whose
// secret is never shown: the session cookie holds only its hash. Revoking
// that token, or the app's tokens, ends the session.

// PortalLinkTTL is how long a portal link may wait to be opened.
const PortalLinkTTL = 15 * time.Minute

func isPortalSecret(secret string) bool { return strings.HasPrefix(secret, portalTokenPrefix) }

func (s *Server) createPortalLink(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	if s.sessions == nil {
		return errorf(http.StatusNotFound, "not_found", "dashboard sessions are not enabled on this server")
	}
	now := s.now().UTC()
	secret, tok, err := mintToken(portalTokenPrefix, app.ID, "portal link", now)
	if err != nil {
		return err
	}
	expires := now.Add(PortalLinkTTL)
	tok.ExpiresAt = &expires
	if err := s.store.CreateToken(r.Context(), tok); err != nil {
		return err
	}
	link := baseURL(r) + "/auth/portal?token=" + url.QueryEscape(secret)
	return writeJSON(w, http.StatusCreated, map[string]any{"id": tok.ID, "app_id": app.ID, "url": link, "expires_at": expires})
}

// portalLinkRefused is the answer to a link that cannot sign in, for a
// person in a browser.
const portalLinkRefused = "This sign-in link is not valid: it may have expired or been used already. Ask for a new one."

// portalSignIn opens a portal link: it consumes the link's token, starts a
// session of a new app-scoped token, and sends the browser to the
// dashboard. Of concurrent opens of one link, one signs in.
func (s *Server) portalSignIn(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	if s.sessions == nil {
		return errorf(http.StatusNotFound, "not_found", "dashboard sessions are not enabled on this server")
	}
	now := s.now().UTC()
	link, err := s.consumePortalLink(r, r.URL.Query().Get("token"), now)
	if err != nil {
		return err
	}
	if link == nil {
		writePortalLinkRefused(w)
		return nil
	}
	sess, err := s.portalSessionToken(r, link.AppID, now)
	if err != nil {
		return err
	}
	if _, err := s.setSessionCookie(w, r, sess.Hash); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// portalLinkRefusedPage is the page a browser gets for a portal link that
// is not usable: people open these links, so the answer is a page to read,
// with the way on.
const portalLinkRefusedPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in link not valid · hookbridge</title></head>
<body>
<main>
<h1>This sign-in link no longer works</h1>
<p>` + portalLinkRefused + `</p>
<p><a href="/login">Sign in with an API token</a></p>
</main>
</body>
</html>
`

// writePortalLinkRefused answers 401 with portalLinkRefusedPage.
func writePortalLinkRefused(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = io.WriteString(w, portalLinkRefusedPage)
}

// consumePortalLink revokes the token of a portal link and returns it; nil
// if the secret is not one, or is unknown, used or expired.
func (s *Server) consumePortalLink(r *http.Request, secret string, now time.Time) (*hookbridge.Token, error) {
	if !isPortalSecret(secret) {
		return nil, nil
	}
	tok, err := s.store.ConsumeToken(r.Context(), HashToken(secret), now)
	switch {
	case errors.Is(err, hookbridge.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case tok.IsAdmin():
		return nil, nil
	}
	return tok, nil
}

// portalSessionToken stores the app-scoped token a portal session stands
// on; its secret is thrown away.
func (s *Server) portalSessionToken(r *http.Request, appID string, now time.Time) (*hookbridge.Token, error) {
	_, tok, err := mintToken(apiTokenPrefix, appID, "portal session", now)
	if err != nil {
		return nil, err
	}
	expires := now.Add(SessionTTL)
	tok.ExpiresAt = &expires
	if err := s.store.CreateToken(r.Context(), tok); err != nil {
		return nil, err
	}
	return tok, nil
}

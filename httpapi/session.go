package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Dashboard sessions. Signing in exchanges an API token for a session
// cookie: the cookie holds, sealed by the server's key ring (AES-GCM, so it
// can be neither read nor forged), a random session id, the token's hash,
// an expiry and a CSRF token. Every request re-checks the token, so
// revoking it ends its sessions; signing out records the session id as
// revoked in the store, so the cookie ends on every node even if it is
// kept; a cookie sealed under a key other than the ring's first ends at a
// key rotation. Unsafe requests made with the cookie must echo the CSRF
// token in the X-CSRF-Token header; the sign-in answer and GET
// /auth/session give it to the page.

// A client address may fail to sign in failedSignInBurst times in a row,
// then once every 1/failedSignInRate seconds; successful sign-ins are not
// counted, so people behind one proxy do not lock each other out.
const (
	failedSignInBurst = 10
	failedSignInRate  = 1.0 / 6
)

const (
	sessionCookie = "hookbridge_session"
	csrfHeader    = "X-CSRF-Token"
	// SessionTTL is how long a dashboard sign-in lasts.
	SessionTTL = 12 * time.Hour
)

type session struct {
	ID        string    `json:"i"`
	TokenHash []byte    `json:"h"`
	Expires   time.Time `json:"e"`
	CSRF      string    `json:"c"`
}

func (s *Server) sealSession(sess session) (string, error) {
	plain, err := json.Marshal(sess)
	if err != nil {
		return "", err
	}
	sealed, err := s.sessions.Seal(plain)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

func (s *Server) openSession(value string) (*session, error) {
	sealed, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil, err
	}
	plain, err := s.sessions.Open(sealed)
	if err != nil {
		return nil, err
	}
	if ring, ok := s.sessions.(resealer); ok && ring.NeedsResealing(sealed) {
		return nil, errors.New("session sealed before a key rotation")
	}
	var sess session
	if err := json.Unmarshal(plain, &sess); err != nil {
		return nil, err
	}
	if sess.ID == "" {
		return nil, errors.New("session without an id")
	}
	if !s.now().Before(sess.Expires) {
		return nil, errors.New("session expired")
	}
	return &sess, nil
}

// resealer is implemented by key rings that tell whether a value was
// sealed under a key other than their first (secretbox.Keyring).
type resealer interface {
	NeedsResealing(sealed []byte) bool
}

// liveSession opens a session cookie's value and checks that the session
// was not signed out.
func (s *Server) liveSession(r *http.Request, value string) (*session, error) {
	sess, err := s.openSession(value)
	if err != nil {
		return nil, errorf(http.StatusUnauthorized, "unauthorized", "your session has ended; sign in again")
	}
	revoked, err := s.store.SessionRevoked(r.Context(), sess.ID)
	if err != nil {
		return nil, fmt.Errorf("check the session: %w", err)
	}
	if revoked {
		return nil, errorf(http.StatusUnauthorized, "unauthorized", "you signed out of this session; sign in again")
	}
	return sess, nil
}

// sessionToken authenticates a request by its session cookie, checking
// CSRF for unsafe methods. It returns nil, nil when there is no cookie.
func (s *Server) sessionToken(r *http.Request) (*hookbridge.Token, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.sessions == nil {
		return nil, nil
	}
	sess, err := s.liveSession(r, c.Value)
	if err != nil {
		return nil, err
	}
	if !safeMethod(r.Method) && subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(sess.CSRF)) != 1 {
		return nil, errorf(http.StatusForbidden, "csrf", "missing or wrong %s header", csrfHeader)
	}
	tok, err := s.tokenByHash(r.Context(), sess.TokenHash)
	if errors.Is(err, hookbridge.ErrNotFound) || (err == nil && !tok.Usable(s.now())) {
		return nil, errorf(http.StatusUnauthorized, "unauthorized", "the token of this session is revoked or expired; sign in again")
	}
	return tok, err
}

// clientAddress is the request's peer address without its port: the
// address sign-in attempts are counted by.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

type loginInput struct {
	Token string `json:"token"`
}

// login exchanges an API token for a session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if s.sessions == nil {
		return errorf(http.StatusNotFound, "not_found", "sessions are not enabled")
	}
	client := clientAddress(r)
	if d := s.signIns.peek(client, s.now()); d > 0 {
		seconds := int(math.Ceil(d.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(seconds))
		return errorf(http.StatusTooManyRequests, "rate_limited",
			"too many failed sign-ins from your address; try again in %d s", seconds)
	}
	var in loginInput
	if err := decodeJSON(w, r, 4<<10, &in); err != nil {
		return err
	}
	if isPortalSecret(strings.TrimSpace(in.Token)) {
		return errorf(http.StatusUnauthorized, "unauthorized", "that is a portal sign-in link's token: open the link itself in the browser")
	}
	hash := HashToken(strings.TrimSpace(in.Token))
	tok, err := s.store.TokenByHash(r.Context(), hash)
	if errors.Is(err, hookbridge.ErrNotFound) || (err == nil && !tok.Usable(s.now())) {
		s.signIns.wait(client, s.now())
		return errorf(http.StatusUnauthorized, "unauthorized", "that token is not valid (unknown, revoked or expired)")
	}
	if err != nil {
		return err
	}
	return s.startSession(w, r, tok, hash)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, tok *hookbridge.Token, hash []byte) error {
	csrf, err := s.setSessionCookie(w, r, hash)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sessionInfo(tok, csrf))
}

// setSessionCookie starts a session of the token with the given hash and
// returns its CSRF token.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, hash []byte) (string, error) {
	random := make([]byte, 36)
	if _, err := rand.Read(random); err != nil {
		return "", err
	}
	sess := session{
		ID:        base64.RawURLEncoding.EncodeToString(random[:18]),
		TokenHash: hash,
		Expires:   s.now().Add(SessionTTL),
		CSRF:      base64.RawURLEncoding.EncodeToString(random[18:]),
	}
	value, err := s.sealSession(sess)
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", Expires: sess.Expires,
		HttpOnly: true, Secure: s.secureCookies(r), SameSite: http.SameSiteStrictMode,
	})
	return sess.CSRF, nil
}

// secureCookies: cookies are Secure except on plain-HTTP loopback, where
// browsers would otherwise drop them during local use.
func (s *Server) secureCookies(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	host := r.Host
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return !(host == "localhost" || host == "127.0.0.1" || host == "[::1]")
}

func sessionInfo(tok *hookbridge.Token, csrf string) map[string]any {
	return map[string]any{"admin": tok.IsAdmin(), "app_id": tok.AppID, "token_name": tok.Name, "csrf_token": csrf}
}

// currentSession tells the dashboard who is signed in, and its CSRF token.
func (s *Server) currentSession(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return errorf(http.StatusUnauthorized, "unauthorized", "not signed in")
	}
	sess, err := s.liveSession(r, c.Value)
	if err != nil {
		return err
	}
	tok, err := s.sessionToken(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sessionInfo(tok, sess.CSRF))
}

// logout ends the request's session: it is recorded as revoked, so the
// cookie no longer works even where it is kept, and the browser is told to
// drop it.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && s.sessions != nil {
		if sess, err := s.openSession(c.Value); err == nil {
			if err := s.store.RevokeSession(r.Context(), sess.ID, sess.Expires, s.now()); err != nil {
				return fmt.Errorf("sign out: %w", err)
			}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(r), SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package webhook

import (
	"embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/signing"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "webhook"

// FieldSigningSecret is the credential holding the endpoint's whsec_ secret.
const FieldSigningSecret = "signing_secret"

// The hidden credentials a rotation of the signing secret sets: the
// previous secret and until when requests are signed with it too.
var fieldPreviousSecret, fieldPreviousSecretExpires = hookbridge.RotatedFields(FieldSigningSecret)

// methods are those a webhook may be sent with.
var methods = []string{http.MethodPost, http.MethodPut, http.MethodPatch}

//go:embed templates/*.js
var templateFiles embed.FS

// Integration is the plain webhook integration. Its zero value is not
// ready: use New.
type Integration struct {
	info hookbridge.IntegrationInfo
}

var _ hookbridge.Integration = (*Integration)(nil)

// New returns the webhook integration.
func New() *Integration {
	return &Integration{info: hookbridge.IntegrationInfo{
		ID:    ID,
		Name:  "Webhook",
		Group: hookbridge.GroupPlainURL,
		Description: "Send events to any HTTPS URL as they arrive, or reshaped by a transformation, " +
			"signed with Standard Webhooks headers so that the receiver can verify them.",
		Logo: logo,
		Credentials: []hookbridge.CredentialField{{
			Name:  FieldSigningSecret,
			Label: "Signing secret",
			Help: "The whsec_ secret the receiver verifies webhook-signature with (Standard Webhooks). " +
				"Leave it empty to have one generated; paste one to reuse it.",
			Secret:   true,
			Generate: signing.GenerateSecret,
			Check:    checkSecret,
		}, {
			Name:   fieldPreviousSecret,
			Label:  "Previous signing secret",
			Help:   "The secret before the latest rotation: requests carry a signature made with it too until it expires.",
			Secret: true,
			Hidden: true,
			Check:  checkSecret,
		}, {
			Name:   fieldPreviousSecretExpires,
			Label:  "Previous signing secret expires",
			Help:   "When requests stop carrying a signature made with the previous secret (RFC 3339).",
			Hidden: true,
			Check:  checkTime,
		}},
		Templates: []hookbridge.Template{{
			ID:          "add-header",
			Name:        "Add a header",
			Description: "Sends each event unchanged with an X-Event-Type header, an example of setting headers.",
			EventTypes:  []string{},
			Code:        mustTemplate("templates/add-header.js"),
		}},
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

func checkSecret(v string) string {
	if _, err := signing.ParseSecret(v); err != nil {
		return fmt.Sprintf("must be a Standard Webhooks secret: %s followed by base64 of %d to %d bytes", signing.SecretPrefix, signing.MinKeySize, signing.MaxKeySize)
	}
	return ""
}

func checkTime(v string) string {
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		return "must be a time in RFC 3339 form, such as 2026-01-02T15:04:05Z"
	}
	return ""
}

// Prepare adds the Standard Webhooks headers: webhook-id (the idempotency
// key), webhook-timestamp (sc.Now) and, with a signing secret,
// webhook-signature over the exact body — during a rotation's grace
// period, one signature with each secret, any of which a receiver may
// verify. It replaces any such header the
// handler set, so that the three always agree, and sets Content-Type to
// application/json unless the handler chose another.
func (in *Integration) Prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	if sc.IdempotencyKey == "" || sc.Now.IsZero() {
		return errors.New("prepare webhook: the send context needs an idempotency key and a time")
	}
	outbound.DefaultMethod(req)
	outbound.SetDefaultHeader(req, "Content-Type", "application/json")
	req.SetHeader(signing.HeaderID, sc.IdempotencyKey)
	req.SetHeader(signing.HeaderTimestamp, signing.FormatTimestamp(sc.Now))
	secret := creds[FieldSigningSecret]
	if secret == "" {
		return nil
	}
	secrets := []string{secret}
	if previous := creds[fieldPreviousSecret]; previous != "" && stillValid(creds[fieldPreviousSecretExpires], sc.Now) {
		secrets = append(secrets, previous)
	}
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		sig, err := signing.Sign(s, sc.IdempotencyKey, sc.Now, req.Body)
		if err != nil {
			return fmt.Errorf("prepare webhook: %w", err)
		}
		sigs[i] = sig
	}
	req.SetHeader(signing.HeaderSignature, strings.Join(sigs, " "))
	return nil
}

// stillValid reports whether now is before the RFC 3339 time expires.
func stillValid(expires string, now time.Time) bool {
	at, err := time.Parse(time.RFC3339, expires)
	return err == nil && now.Before(at)
}

// Validate checks what any receiver needs: an absolute http or https URL
// and a method a webhook is sent with.
func (in *Integration) Validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	u, err := url.Parse(req.URL)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		ps = append(ps, hookbridge.Problem{Field: "url", Message: fmt.Sprintf("%q is not an absolute URL", req.URL), Fix: "use a full URL such as https://example.com/webhooks"})
	case u.Scheme != "https" && u.Scheme != "http":
		ps = append(ps, hookbridge.Problem{Field: "url", Message: fmt.Sprintf("the URL's scheme is %s; webhooks go over http or https", u.Scheme), Fix: "use an https:// URL"})
	}
	if !slices.Contains(methods, req.Method) {
		ps = append(ps, hookbridge.Problem{Field: "method", Message: fmt.Sprintf("a webhook is sent with POST, PUT or PATCH, not %q", req.Method), Fix: "set webhook.method = \"POST\""})
	}
	return ps
}

func mustTemplate(name string) string {
	code, err := templateFiles.ReadFile(name)
	if err != nil {
		panic("webhook: embedded template missing: " + err.Error())
	}
	return string(code)
}

// logo is an original mark: braces for a JSON payload.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Webhook"><rect width="64" height="64" rx="14" fill="#5B4BC4"/><text x="32" y="43" text-anchor="middle" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="28" font-weight="700" fill="#FFFFFF">{ }</text></svg>`

package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// Text that one database keeps and another refuses (SQLite takes any
// bytes; PostgreSQL refuses NUL and invalid UTF-8, and long index
// entries). Every store refuses it alike: writes with a
// *hookbridge.ValidationError, lookups by such an id with ErrNotFound.

func textCases() []testCase {
	return []testCase{
		{"UnstorableNamesRefused", testUnstorableNamesRefused},
		{"UnstorableIDsRefused", testUnstorableIDsRefused},
		{"LookupsByUnstorableIDsNotFound", testLookupsByUnstorableIDs},
	}
}

// unstorableText is text no store keeps.
var unstorableText = map[string]string{
	"NUL":           "pay\x00ments",
	"invalid UTF-8": "caf\xe9",
	"lone byte":     "\xff",
}

// unstorableIDs are ids no store keeps: unstorable text, control
// characters, and ids longer than hookbridge.MaxIDBytes.
var unstorableIDs = map[string]string{
	"NUL":               "src_\x00",
	"invalid UTF-8":     "src_\xff",
	"control character": "src_\n",
	"overlong":          "src_" + strings.Repeat("x", hookbridge.MaxIDBytes),
	"empty":             "",
}

func checkValidationError(t *testing.T, what string, err error) {
	t.Helper()
	var verr *hookbridge.ValidationError
	if !errors.As(err, &verr) {
		t.Errorf("%s: %v, want a *hookbridge.ValidationError", what, err)
	}
}

func testUnstorableNamesRefused(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	src := createSource(t, s, newSource("acme", at))
	ep := createEndpoint(t, s, newEndpoint("acme", at))
	for kind, bad := range unstorableText {
		checkValidationError(t, "create app named with "+kind,
			s.CreateApp(t.Context(), &hookbridge.App{ID: "globex", Name: bad, CreatedAt: at}))
		checkValidationError(t, "create token named with "+kind, s.CreateToken(t.Context(), newToken("acme", bad, at)))
		named := newSource("acme", at)
		named.Name = bad
		checkValidationError(t, "create source named with "+kind, s.CreateSource(t.Context(), named))
		renamed := *src
		renamed.Name = bad
		checkValidationError(t, "rename source with "+kind, s.UpdateSource(t.Context(), &renamed))
		namedEp := newEndpoint("acme", at)
		namedEp.Name = bad
		checkValidationError(t, "create endpoint named with "+kind, s.CreateEndpoint(t.Context(), namedEp))
		renamedEp := *ep
		renamedEp.Name = bad
		checkValidationError(t, "rename endpoint with "+kind, s.UpdateEndpoint(t.Context(), &renamedEp))
		headed := newEndpoint("acme", at)
		headed.Headers = map[string]string{"X-Team": bad}
		checkValidationError(t, "create endpoint with a header value with "+kind, s.CreateEndpoint(t.Context(), headed))
	}

	apps, err := s.ListApps(t.Context())
	must(t, "list apps", err)
	tokens, err := s.ListTokens(t.Context(), "acme")
	must(t, "list tokens", err)
	sources, err := s.ListSources(t.Context(), "acme")
	must(t, "list sources", err)
	endpoints, err := s.ListEndpoints(t.Context(), "acme")
	must(t, "list endpoints", err)
	if len(apps) != 1 || len(tokens) != 0 || len(sources) != 1 || len(endpoints) != 1 {
		t.Errorf("stored %d apps, %d tokens, %d sources, %d endpoints; want only the 1, 0, 1, 1 made first",
			len(apps), len(tokens), len(sources), len(endpoints))
	}
	got, err := s.GetSource(t.Context(), "acme", src.ID)
	must(t, "get source", err)
	checkEqual(t, "source after refused renames", got.Name, src.Name)
}

func testUnstorableIDsRefused(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	for kind, bad := range unstorableIDs {
		checkValidationError(t, "create app with an id "+kind,
			s.CreateApp(t.Context(), &hookbridge.App{ID: bad, Name: "Globex", CreatedAt: at}))
		tok := newToken("acme", "ci", at)
		tok.ID = bad
		checkValidationError(t, "create token with an id "+kind, s.CreateToken(t.Context(), tok))
		src := newSource("acme", at)
		src.ID = bad
		checkValidationError(t, "create source with an id "+kind, s.CreateSource(t.Context(), src))
		ep := newEndpoint("acme", at)
		ep.ID = bad
		checkValidationError(t, "create endpoint with an id "+kind, s.CreateEndpoint(t.Context(), ep))
	}
}

func testLookupsByUnstorableIDs(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	for kind, bad := range unstorableIDs {
		if bad == "" {
			continue
		}
		_, err := s.GetApp(t.Context(), bad)
		checkErrorIs(t, "get app by an id "+kind, err, hookbridge.ErrNotFound)
		_, err = s.GetSource(t.Context(), "acme", bad)
		checkErrorIs(t, "get source by an id "+kind, err, hookbridge.ErrNotFound)
		_, err = s.GetSource(t.Context(), "", bad)
		checkErrorIs(t, "get source of any app by an id "+kind, err, hookbridge.ErrNotFound)
		_, err = s.GetEndpoint(t.Context(), "acme", bad)
		checkErrorIs(t, "get endpoint by an id "+kind, err, hookbridge.ErrNotFound)
		_, err = s.GetMessage(t.Context(), "acme", bad)
		checkErrorIs(t, "get message by an id "+kind, err, hookbridge.ErrNotFound)
		_, err = s.GetDelivery(t.Context(), "acme", bad)
		checkErrorIs(t, "get delivery by an id "+kind, err, hookbridge.ErrNotFound)
		checkErrorIs(t, "revoke token by an id "+kind, s.RevokeToken(t.Context(), "acme", bad, at), hookbridge.ErrNotFound)
		checkErrorIs(t, "delete source by an id "+kind, s.DeleteSource(t.Context(), "acme", bad), hookbridge.ErrNotFound)
		checkErrorIs(t, "delete endpoint by an id "+kind, s.DeleteEndpoint(t.Context(), "acme", bad), hookbridge.ErrNotFound)
	}
}

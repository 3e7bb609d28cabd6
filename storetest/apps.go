package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func appCases() []testCase {
	return []testCase{
		{"CreateAndGet", testAppCreateAndGet},
		{"DuplicateIDConflicts", testAppDuplicateID},
		{"UnknownNotFound", testAppUnknown},
		{"List", testAppList},
		{"Ping", testPing},
	}
}

func testAppCreateAndGet(t *testing.T, s hookbridge.Store) {
	app := createApp(t, s, "acme", baseTime())
	got, err := s.GetApp(t.Context(), "acme")
	must(t, "get app", err)
	checkEqual(t, "stored app", normApp(got), normApp(app))
}

func testAppDuplicateID(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	err := s.CreateApp(t.Context(), &hookbridge.App{ID: "acme", Name: "Another", CreatedAt: at.Add(time.Second)})
	checkErrorIs(t, "create app with a taken id", err, hookbridge.ErrConflict)
	got, err := s.GetApp(t.Context(), "acme")
	must(t, "get app", err)
	if got.Name != "App acme" {
		t.Errorf("app name after conflicting create = %q, want the first one kept", got.Name)
	}
}

func testAppUnknown(t *testing.T, s hookbridge.Store) {
	_, err := s.GetApp(t.Context(), "nobody")
	checkErrorIs(t, "get unknown app", err, hookbridge.ErrNotFound)
}

func testAppList(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	apps, err := s.ListApps(t.Context())
	must(t, "list apps of an empty store", err)
	if len(apps) != 0 {
		t.Fatalf("empty store lists %d apps", len(apps))
	}
	want := map[string]*hookbridge.App{}
	for i, id := range []string{"beta", "alpha", "gamma"} {
		want[id] = createApp(t, s, id, at.Add(time.Duration(i)*time.Second))
	}
	apps, err = s.ListApps(t.Context())
	must(t, "list apps", err)
	if len(apps) != len(want) {
		t.Fatalf("listed %d apps, want %d", len(apps), len(want))
	}
	for _, got := range apps {
		w, ok := want[got.ID]
		if !ok {
			t.Errorf("listed unknown app %q", got.ID)
			continue
		}
		checkEqual(t, "listed app", normApp(got), normApp(w))
	}
}

func testPing(t *testing.T, s hookbridge.Store) {
	must(t, "ping", s.Ping(t.Context()))
}

func tokenCases() []testCase {
	return []testCase{
		{"FindByHash", testTokenByHash},
		{"UnknownHashNotFound", testTokenUnknownHash},
		{"ListByApp", testTokenList},
		{"Revoke", testTokenRevoke},
		{"RevokeOtherAppNotFound", testTokenRevokeOtherApp},
		{"CountIncludesAdmin", testTokenCount},
		{"RevokedSessionStaysRevoked", testSessionRevoke},
		{"ExpiredSessionRevocationsForgotten", testSessionRevocationsForgotten},
		{"ConsumeOnce", testTokenConsumeOnce},
		{"ConsumeRacingExactlyOneWins", testTokenConsumeRacing},
	}
}

func testSessionRevoke(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	revoked, err := s.SessionRevoked(t.Context(), "sess_a")
	must(t, "check a session never revoked", err)
	checkEqual(t, "never revoked session revoked", revoked, false)

	must(t, "revoke session", s.RevokeSession(t.Context(), "sess_a", at.Add(time.Hour), at))
	must(t, "revoke session again", s.RevokeSession(t.Context(), "sess_a", at.Add(time.Hour), at))
	revoked, err = s.SessionRevoked(t.Context(), "sess_a")
	must(t, "check revoked session", err)
	checkEqual(t, "revoked session revoked", revoked, true)
	revoked, err = s.SessionRevoked(t.Context(), "sess_b")
	must(t, "check another session", err)
	checkEqual(t, "other session revoked", revoked, false)
}

func testSessionRevocationsForgotten(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	must(t, "revoke short session", s.RevokeSession(t.Context(), "sess_short", at.Add(time.Minute), at))
	must(t, "revoke long session", s.RevokeSession(t.Context(), "sess_long", at.Add(time.Hour), at))
	// Revoking another session after the short one's expiry forgets it,
	// and keeps the long one.
	later := at.Add(2 * time.Minute)
	must(t, "revoke third session", s.RevokeSession(t.Context(), "sess_third", later.Add(time.Hour), later))
	for id, want := range map[string]bool{"sess_short": false, "sess_long": true, "sess_third": true} {
		revoked, err := s.SessionRevoked(t.Context(), id)
		must(t, "check "+id, err)
		checkEqual(t, id+" revoked", revoked, want)
	}
}

func testTokenByHash(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	appToken := newToken("acme", "ci", at)
	appToken.ExpiresAt = ptr(at.Add(30 * 24 * time.Hour))
	createToken(t, s, appToken)
	admin := createToken(t, s, newToken("", "admin", at))

	for _, want := range []*hookbridge.Token{appToken, admin} {
		got, err := s.TokenByHash(t.Context(), want.Hash)
		must(t, "token by hash", err)
		checkEqual(t, "token "+want.Name, normToken(got), normToken(want))
	}
}

func testTokenUnknownHash(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createToken(t, s, newToken("acme", "ci", at))
	other := newToken("acme", "never stored", at)
	_, err := s.TokenByHash(t.Context(), other.Hash)
	checkErrorIs(t, "token by unknown hash", err, hookbridge.ErrNotFound)
}

func testTokenList(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	a1 := createToken(t, s, newToken("acme", "one", at))
	a2 := createToken(t, s, newToken("acme", "two", at.Add(time.Second)))
	createToken(t, s, newToken("globex", "three", at))
	createToken(t, s, newToken("", "admin", at))

	got, err := s.ListTokens(t.Context(), "acme")
	must(t, "list tokens", err)
	checkEqual(t, "tokens of acme", sortedIDs(got, tokenID), sorted(a1.ID, a2.ID))
	for _, tok := range got {
		want := a1
		if tok.ID == a2.ID {
			want = a2
		}
		checkEqual(t, "listed token", normToken(tok), normToken(want))
	}
}

func testTokenRevoke(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	tok := createToken(t, s, newToken("acme", "ci", at))
	revokedAt := at.Add(time.Hour)
	must(t, "revoke token", s.RevokeToken(t.Context(), "acme", tok.ID, revokedAt))

	got, err := s.TokenByHash(t.Context(), tok.Hash)
	must(t, "token by hash", err)
	if got.RevokedAt == nil || !sameTime(*got.RevokedAt, revokedAt) {
		t.Fatalf("revoked_at = %v, want %v", got.RevokedAt, revokedAt)
	}
	if got.Usable(revokedAt.Add(time.Second)) {
		t.Errorf("revoked token is still usable")
	}
	listed, err := s.ListTokens(t.Context(), "acme")
	must(t, "list tokens", err)
	if len(listed) != 1 || listed[0].RevokedAt == nil {
		t.Errorf("listed tokens after revoke = %+v, want the one token, revoked", listed)
	}
}

func testTokenRevokeOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	tok := createToken(t, s, newToken("acme", "ci", at))

	err := s.RevokeToken(t.Context(), "globex", tok.ID, at)
	checkErrorIs(t, "revoke another app's token", err, hookbridge.ErrNotFound)
	err = s.RevokeToken(t.Context(), "acme", "tok_unknown", at)
	checkErrorIs(t, "revoke unknown token", err, hookbridge.ErrNotFound)

	got, err := s.TokenByHash(t.Context(), tok.Hash)
	must(t, "token by hash", err)
	if got.RevokedAt != nil {
		t.Errorf("token revoked through another app")
	}
}

func testTokenCount(t *testing.T, s hookbridge.Store) {
	n, err := s.CountTokens(t.Context())
	must(t, "count tokens of an empty store", err)
	if n != 0 {
		t.Fatalf("empty store counts %d tokens", n)
	}
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createToken(t, s, newToken("acme", "one", at))
	createToken(t, s, newToken("acme", "two", at))
	createToken(t, s, newToken("globex", "three", at))
	createToken(t, s, newToken("", "admin", at))

	n, err = s.CountTokens(t.Context())
	must(t, "count tokens", err)
	if n != 4 {
		t.Errorf("count tokens = %d, want 4 (every app's, admin ones included)", n)
	}
}

func tokenID(tok *hookbridge.Token) string { return tok.ID }

func testTokenConsumeOnce(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	link := newToken("acme", "portal link", at)
	link.ExpiresAt = ptr(at.Add(15 * time.Minute))
	createToken(t, s, link)
	expired := newToken("acme", "expired link", at)
	expired.ExpiresAt = ptr(at.Add(time.Minute))
	createToken(t, s, expired)

	got, err := s.ConsumeToken(t.Context(), link.Hash, at.Add(time.Minute))
	must(t, "consume token", err)
	checkEqual(t, "consumed token", normToken(got), normToken(link))
	_, err = s.ConsumeToken(t.Context(), link.Hash, at.Add(2*time.Minute))
	checkErrorIs(t, "consume a consumed token", err, hookbridge.ErrNotFound)
	_, err = s.ConsumeToken(t.Context(), expired.Hash, at.Add(time.Minute))
	checkErrorIs(t, "consume an expired token", err, hookbridge.ErrNotFound)
	_, err = s.ConsumeToken(t.Context(), newToken("acme", "never stored", at).Hash, at)
	checkErrorIs(t, "consume an unknown token", err, hookbridge.ErrNotFound)

	stored, err := s.TokenByHash(t.Context(), link.Hash)
	must(t, "token by hash", err)
	if stored.RevokedAt == nil || !sameTime(*stored.RevokedAt, at.Add(time.Minute)) {
		t.Errorf("revoked_at after consume = %v, want %v", stored.RevokedAt, at.Add(time.Minute))
	}
}

func testTokenConsumeRacing(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	link := createToken(t, s, newToken("acme", "portal link", at))

	const consumers = 24
	var wg sync.WaitGroup
	results := make(chan error, consumers)
	start := make(chan struct{})
	for range consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.ConsumeToken(t.Context(), link.Hash, at.Add(time.Second))
			results <- err
		}()
	}
	close(start)
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, hookbridge.ErrNotFound):
			t.Errorf("consume racing: %v, want nil or ErrNotFound", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d racing consumers got the token, want exactly 1", won, consumers)
	}
}

package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func transformationVersionCases() []testCase {
	return []testCase{
		{"CreateRecordsVersionOne", testVersionOnCreate},
		{"NumberedPerEndpointFromOne", testVersionsNumberedPerEndpoint},
		{"OnlyTransformationChangesRecord", testVersionOnlyOnTransformationChange},
		{"KeepsTheNewest200", testVersionsCapped},
		{"ConcurrentSavesNumberedInTurn", testVersionsConcurrentSaves},
		{"RestoreRecordsANewVersion", testVersionRestore},
		{"UnknownAndOtherAppNotFound", testVersionNotFound},
		{"DeletedWithTheEndpoint", testVersionsDeletedWithEndpoint},
		{"ClaimsAndAttemptsCarryTheVersion", testAttemptCarriesVersion},
	}
}

// saveTransformation updates e with the given code, saved by who.
func saveTransformation(t *testing.T, s hookbridge.Store, e *hookbridge.Endpoint, code, who string, at time.Time) {
	t.Helper()
	e.Transformation.Code = code
	e.Save = hookbridge.VersionNote{By: who}
	e.UpdatedAt = at
	must(t, "update endpoint", s.UpdateEndpoint(t.Context(), e))
}

func listVersions(t *testing.T, s hookbridge.Store, appID, endpointID string) []*hookbridge.TransformationVersion {
	t.Helper()
	vs, err := s.ListTransformationVersions(t.Context(), appID, endpointID)
	must(t, "list transformation versions", err)
	return vs
}

func versionNumbers(vs []*hookbridge.TransformationVersion) []int {
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = v.Number
	}
	return out
}

func normVersion(v *hookbridge.TransformationVersion) hookbridge.TransformationVersion {
	n := *v
	n.CreatedAt = normTime(n.CreatedAt)
	return n
}

func testVersionOnCreate(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := newIntegrationEndpoint("acme", at)
	e.Transformation.Template = "payment-events"
	e.Save = hookbridge.VersionNote{By: "ci-token"}
	createEndpoint(t, s, e)
	if e.Transformation.Version != 1 {
		t.Errorf("created endpoint's transformation version = %d, want 1", e.Transformation.Version)
	}
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	checkEqual(t, "stored transformation", got.Transformation, e.Transformation)

	want := hookbridge.TransformationVersion{
		EndpointID: e.ID, Number: 1, Code: e.Transformation.Code, Enabled: true,
		Template: "payment-events", SavedBy: "ci-token", CreatedAt: normTime(at),
	}
	v, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, 1)
	must(t, "get version 1", err)
	checkEqual(t, "version 1", normVersion(v), want)
	vs := listVersions(t, s, "acme", e.ID)
	if len(vs) != 1 {
		t.Fatalf("%d versions after create, want 1", len(vs))
	}
	checkEqual(t, "listed version 1", normVersion(vs[0]), want)
}

func testVersionsNumberedPerEndpoint(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	a := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	b := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	saveTransformation(t, s, a, "function handler(w) { return w } // 2", "alice", at.Add(time.Minute))
	saveTransformation(t, s, a, "function handler(w) { return w } // 3", "bob (dashboard)", at.Add(2*time.Minute))
	saveTransformation(t, s, b, "function handler(w) { return w } // b2", "carol", at.Add(3*time.Minute))

	checkEqual(t, "versions of a, newest first", versionNumbers(listVersions(t, s, "acme", a.ID)), []int{3, 2, 1})
	checkEqual(t, "versions of b, newest first", versionNumbers(listVersions(t, s, "acme", b.ID)), []int{2, 1})
	if a.Transformation.Version != 3 || b.Transformation.Version != 2 {
		t.Errorf("updated endpoints hold versions %d and %d, want 3 and 2", a.Transformation.Version, b.Transformation.Version)
	}
	v, err := s.GetTransformationVersion(t.Context(), "acme", a.ID, 2)
	must(t, "get version 2", err)
	checkEqual(t, "version 2 of a", normVersion(v), hookbridge.TransformationVersion{
		EndpointID: a.ID, Number: 2, Code: "function handler(w) { return w } // 2", Enabled: true,
		SavedBy: "alice", CreatedAt: normTime(at.Add(time.Minute)),
	})
	stored, err := s.GetEndpoint(t.Context(), "acme", a.ID)
	must(t, "get endpoint", err)
	if stored.Transformation.Version != 3 {
		t.Errorf("stored endpoint holds version %d, want 3", stored.Transformation.Version)
	}
}

func testVersionOnlyOnTransformationChange(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))

	e.Name, e.RateLimit = "renamed", 99
	must(t, "update other fields", s.UpdateEndpoint(t.Context(), e))
	checkEqual(t, "versions after changing other fields", versionNumbers(listVersions(t, s, "acme", e.ID)), []int{1})
	if e.Transformation.Version != 1 {
		t.Errorf("transformation version after changing other fields = %d, want 1", e.Transformation.Version)
	}

	for _, change := range []struct {
		name  string
		apply func(*hookbridge.Transformation)
	}{
		{"enabled flag", func(tr *hookbridge.Transformation) { tr.Enabled = !tr.Enabled }},
		{"template", func(tr *hookbridge.Transformation) { tr.Template = "refunds" }},
		{"code", func(tr *hookbridge.Transformation) { tr.Code += "\n// edited" }},
	} {
		before := e.Transformation.Version
		change.apply(&e.Transformation)
		must(t, "update "+change.name, s.UpdateEndpoint(t.Context(), e))
		if e.Transformation.Version != before+1 {
			t.Errorf("after changing the %s: version %d, want %d", change.name, e.Transformation.Version, before+1)
		}
		v, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, e.Transformation.Version)
		must(t, "get version", err)
		checkEqual(t, "version after changing the "+change.name, v.Transformation(), e.Transformation)
	}
}

func testVersionsCapped(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	saves := hookbridge.MaxTransformationVersions + 5
	for i := 2; i <= saves+1; i++ {
		saveTransformation(t, s, e, fmt.Sprintf("function handler(w) { return w } // %d", i), "loop", at.Add(time.Duration(i)*time.Second))
	}
	newest := saves + 1
	vs := listVersions(t, s, "acme", e.ID)
	if len(vs) != hookbridge.MaxTransformationVersions {
		t.Fatalf("%d versions kept, want %d", len(vs), hookbridge.MaxTransformationVersions)
	}
	if vs[0].Number != newest || vs[len(vs)-1].Number != newest-hookbridge.MaxTransformationVersions+1 {
		t.Errorf("kept versions %d … %d, want %d … %d", vs[0].Number, vs[len(vs)-1].Number,
			newest, newest-hookbridge.MaxTransformationVersions+1)
	}
	_, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, 1)
	checkErrorIs(t, "get a forgotten version", err, hookbridge.ErrNotFound)
	_, err = s.GetTransformationVersion(t.Context(), "acme", e.ID, newest-hookbridge.MaxTransformationVersions)
	checkErrorIs(t, "get the newest forgotten version", err, hookbridge.ErrNotFound)
	v, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, newest)
	must(t, "get the newest version", err)
	if v.Code != e.Transformation.Code {
		t.Errorf("newest version's code %q, want %q", v.Code, e.Transformation.Code)
	}
}

func testVersionRestore(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	first := e.Transformation
	saveTransformation(t, s, e, "function handler(w) { return w } // 2", "alice", at.Add(time.Minute))

	v1, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, 1)
	must(t, "get version 1", err)
	e.Transformation = v1.Transformation()
	e.Save = hookbridge.VersionNote{By: "bob", RestoredFrom: 1}
	must(t, "restore version 1", s.UpdateEndpoint(t.Context(), e))
	if e.Transformation.Version != 3 {
		t.Fatalf("after restoring version 1: version %d, want 3", e.Transformation.Version)
	}
	v3, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, 3)
	must(t, "get version 3", err)
	if v3.Code != first.Code || v3.Enabled != first.Enabled || v3.RestoredFrom != 1 || v3.SavedBy != "bob" {
		t.Errorf("version 3 = %+v, want version 1's transformation restored from 1 by bob", v3)
	}

	// Restoring what is live records a version all the same.
	e.Save = hookbridge.VersionNote{By: "bob", RestoredFrom: 3}
	must(t, "restore the live version", s.UpdateEndpoint(t.Context(), e))
	checkEqual(t, "versions after two restores", versionNumbers(listVersions(t, s, "acme", e.ID)), []int{4, 3, 2, 1})
}

func testVersionNotFound(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	for _, n := range []int{0, -1, 2} {
		_, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, n)
		checkErrorIs(t, fmt.Sprintf("get version %d", n), err, hookbridge.ErrNotFound)
	}
	_, err := s.GetTransformationVersion(t.Context(), "globex", e.ID, 1)
	checkErrorIs(t, "get another app's version", err, hookbridge.ErrNotFound)
	_, err = s.ListTransformationVersions(t.Context(), "globex", e.ID)
	checkErrorIs(t, "list another app's versions", err, hookbridge.ErrNotFound)
	_, err = s.ListTransformationVersions(t.Context(), "acme", "ep_unknown")
	checkErrorIs(t, "list versions of an unknown endpoint", err, hookbridge.ErrNotFound)
}

func testVersionsDeletedWithEndpoint(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	saveTransformation(t, s, e, "function handler(w) { return w } // 2", "alice", at.Add(time.Minute))
	must(t, "delete endpoint", s.DeleteEndpoint(t.Context(), "acme", e.ID))
	_, err := s.ListTransformationVersions(t.Context(), "acme", e.ID)
	checkErrorIs(t, "list versions of a deleted endpoint", err, hookbridge.ErrNotFound)
	_, err = s.GetTransformationVersion(t.Context(), "acme", e.ID, 1)
	checkErrorIs(t, "get a version of a deleted endpoint", err, hookbridge.ErrNotFound)
}

func testAttemptCarriesVersion(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	saveTransformation(t, s, e, "function handler(w) { return w } // 2", "alice", at)
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	c := claimAll(t, s, at, time.Minute)[0]
	if c.Endpoint == nil || c.Endpoint.Transformation.Version != 2 {
		t.Fatalf("claimed endpoint %+v, want transformation version 2", c.Endpoint)
	}
	a := newAttempt(c, at.Add(time.Second), 200)
	a.TransformationVersion = c.Endpoint.Transformation.Version
	must(t, "complete attempt", s.CompleteAttempt(t.Context(), c, a, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	atts, err := s.ListAttempts(t.Context(), "acme", d.ID)
	must(t, "list attempts", err)
	if len(atts) != 1 || atts[0].TransformationVersion != 2 {
		t.Fatalf("attempts %+v, want one made by transformation version 2", atts)
	}
}

// testVersionsConcurrentSaves: saves racing on one endpoint each record
// a version, numbered one after the other without a gap or a clash.
func testVersionsConcurrentSaves(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	const savers = 8
	var wg sync.WaitGroup
	errs := make(chan error, savers)
	for i := range savers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := *e
			mine.Transformation.Code = fmt.Sprintf("function handler(w) { return w } // saver %d", i)
			mine.Save = hookbridge.VersionNote{By: fmt.Sprintf("saver %d", i)}
			errs <- s.UpdateEndpoint(t.Context(), &mine)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, "concurrent update", err)
	}
	got := versionNumbers(listVersions(t, s, "acme", e.ID))
	want := make([]int, 0, savers+1)
	for n := savers + 1; n >= 1; n-- {
		want = append(want, n)
	}
	if !slices.Equal(got, want) {
		t.Errorf("versions after %d concurrent saves %v, want %v", savers, got, want)
	}
	stored, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	live, err := s.GetTransformationVersion(t.Context(), "acme", e.ID, savers+1)
	must(t, "get the newest version", err)
	if stored.Transformation.Version != savers+1 || live.Code != stored.Transformation.Code {
		t.Errorf("endpoint holds version %d with code %q; the newest version %d has %q",
			stored.Transformation.Version, stored.Transformation.Code, live.Number, live.Code)
	}
}

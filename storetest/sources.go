package storetest

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func sourceCases() []testCase {
	return []testCase{
		{"RoundTripWithSecrets", testSourceRoundTrip},
		{"GetWithoutAppFindsAny", testSourceGetAnyApp},
		{"OtherAppNotFound", testSourceOtherApp},
		{"ListByApp", testSourceList},
		{"UpdateReplacesNameAndSecrets", testSourceUpdate},
		{"UpdateUnknownNotFound", testSourceUpdateUnknown},
		{"Delete", testSourceDelete},
		{"DeleteKeepsMessages", testSourceDeleteKeepsMessages},
	}
}

func testSourceRoundTrip(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	src := createSource(t, s, newSource("acme", at))
	got, err := s.GetSource(t.Context(), "acme", src.ID)
	must(t, "get source", err)
	checkEqual(t, "stored source", normSource(got), normSource(src))
}

func testSourceGetAnyApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createSource(t, s, newSource("acme", at))
	src := createSource(t, s, newSource("globex", at))
	got, err := s.GetSource(t.Context(), "", src.ID)
	must(t, "get source without app", err)
	checkEqual(t, "source found without app", normSource(got), normSource(src))
	_, err = s.GetSource(t.Context(), "", "src_unknown")
	checkErrorIs(t, "get unknown source without app", err, hookbridge.ErrNotFound)
}

func testSourceOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	src := createSource(t, s, newSource("acme", at))

	_, err := s.GetSource(t.Context(), "globex", src.ID)
	checkErrorIs(t, "get another app's source", err, hookbridge.ErrNotFound)

	hijack := *src
	hijack.AppID = "globex"
	hijack.Name = "hijacked"
	hijack.Secrets = []hookbridge.SourceSecret{{Secret: "whsec_attacker", CreatedAt: at}}
	checkErrorIs(t, "update another app's source", s.UpdateSource(t.Context(), &hijack), hookbridge.ErrNotFound)
	checkErrorIs(t, "delete another app's source", s.DeleteSource(t.Context(), "globex", src.ID), hookbridge.ErrNotFound)

	got, err := s.GetSource(t.Context(), "acme", src.ID)
	must(t, "get source", err)
	checkEqual(t, "source after another app's attempts", normSource(got), normSource(src))
}

func testSourceList(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	a1 := createSource(t, s, newSource("acme", at))
	a2 := createSource(t, s, newSource("acme", at.Add(time.Second)))
	createSource(t, s, newSource("globex", at))

	got, err := s.ListSources(t.Context(), "acme")
	must(t, "list sources", err)
	checkEqual(t, "sources of acme", sortedIDs(got, sourceID), sorted(a1.ID, a2.ID))
	for _, src := range got {
		want := a1
		if src.ID == a2.ID {
			want = a2
		}
		checkEqual(t, "listed source", normSource(src), normSource(want))
	}
}

func testSourceUpdate(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	src := createSource(t, s, newSource("acme", at))

	later := at.Add(time.Hour)
	src.Name = "renamed"
	src.Secrets = []hookbridge.SourceSecret{{Secret: "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==", CreatedAt: later}}
	src.UpdatedAt = later
	must(t, "update source", s.UpdateSource(t.Context(), src))

	got, err := s.GetSource(t.Context(), "acme", src.ID)
	must(t, "get source", err)
	if got.Name != "renamed" {
		t.Errorf("name after update = %q, want %q", got.Name, "renamed")
	}
	checkEqual(t, "secrets after update", normSource(got).Secrets, normSource(src).Secrets)
}

func testSourceUpdateUnknown(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	err := s.UpdateSource(t.Context(), newSource("acme", at))
	checkErrorIs(t, "update unknown source", err, hookbridge.ErrNotFound)
}

func testSourceDelete(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	src := createSource(t, s, newSource("acme", at))
	keep := createSource(t, s, newSource("acme", at))

	must(t, "delete source", s.DeleteSource(t.Context(), "acme", src.ID))
	_, err := s.GetSource(t.Context(), "acme", src.ID)
	checkErrorIs(t, "get deleted source", err, hookbridge.ErrNotFound)
	checkErrorIs(t, "delete it again", s.DeleteSource(t.Context(), "acme", src.ID), hookbridge.ErrNotFound)

	_, err = s.GetSource(t.Context(), "acme", keep.ID)
	must(t, "get the other source", err)
}

func testSourceDeleteKeepsMessages(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	src := createSource(t, s, newSource("acme", at))
	m := newMessage("acme", paymentSucceeded, at)
	m.SourceID = src.ID
	createMessage(t, s, m)

	must(t, "delete source with messages", s.DeleteSource(t.Context(), "acme", src.ID))
	got, err := s.GetMessage(t.Context(), "acme", m.ID)
	must(t, "get message of deleted source", err)
	checkEqual(t, "message of deleted source", normMessage(got), normMessage(m))
}

func sourceID(s *hookbridge.Source) string { return s.ID }

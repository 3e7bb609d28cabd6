package storetest

import (
	"testing"

	"github.com/hookbridge/hookbridge"
)

func testRenameApp(t *testing.T, s hookbridge.Store) {
	app := &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: baseTime()}
	must(t, "create app", s.CreateApp(t.Context(), app))
	must(t, "rename app", s.RenameApp(t.Context(), "acme", "Acme Payments"))
	got, err := s.GetApp(t.Context(), "acme")
	must(t, "get app", err)
	want := *app
	want.Name = "Acme Payments"
	checkEqual(t, "renamed app", normApp(got), normApp(&want))
	checkErrorIs(t, "rename an unknown app", s.RenameApp(t.Context(), "nobody", "x"), hookbridge.ErrNotFound)
}

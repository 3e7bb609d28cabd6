package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func auditCases() []testCase {
	return []testCase{
		{"ListsAnAppsEntriesNewestFirst", testAuditList},
		{"Pages", testAuditPages},
		{"DuplicateIDConflicts", testAuditDuplicate},
	}
}

func newAuditEntry(appID string, at time.Time, resourceID string) *hookbridge.AuditEntry {
	return &hookbridge.AuditEntry{
		ID:         hookbridge.NewID("aud"),
		AppID:      appID,
		TokenID:    "tok_01",
		TokenName:  "deploy bot",
		Method:     "PATCH",
		Path:       "/api/v1/apps/" + appID + "/endpoints/" + resourceID,
		Route:      "PATCH /api/v1/apps/{app}/endpoints/{id}",
		ResourceID: resourceID,
		Status:     200,
		RequestID:  "req_" + resourceID,
		Outcome:    "valid",
		CreatedAt:  at,
	}
}

func appendAudit(t *testing.T, s hookbridge.Store, e *hookbridge.AuditEntry) *hookbridge.AuditEntry {
	t.Helper()
	must(t, "append audit entry", s.AppendAudit(t.Context(), e))
	return e
}

func normAudit(e *hookbridge.AuditEntry) hookbridge.AuditEntry {
	n := *e
	n.CreatedAt = normTime(n.CreatedAt)
	return n
}

func auditID(e *hookbridge.AuditEntry) string { return e.ID }

// testAuditList also shows that the log needs no app row: it must never
// stand in the way of the change it records.
func testAuditList(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	first := appendAudit(t, s, newAuditEntry("acme", at, "ep_1"))
	second := appendAudit(t, s, newAuditEntry("acme", at.Add(time.Second), "ep_2"))
	other := appendAudit(t, s, newAuditEntry("globex", at, "ep_3"))
	minimal := &hookbridge.AuditEntry{ID: hookbridge.NewID("aud"), AppID: "acme", Method: "DELETE", CreatedAt: at.Add(2 * time.Second)}
	appendAudit(t, s, minimal)

	got, err := s.ListAudit(t.Context(), "acme", hookbridge.AuditFilter{})
	must(t, "list audit log", err)
	checkEqual(t, "audit entries of acme, newest first", ids(got, auditID), []string{minimal.ID, second.ID, first.ID})
	if len(got) == 3 {
		checkEqual(t, "entry with every field", normAudit(got[2]), normAudit(first))
		checkEqual(t, "entry with empty fields", normAudit(got[0]), normAudit(minimal))
	}
	got, err = s.ListAudit(t.Context(), "globex", hookbridge.AuditFilter{})
	must(t, "list audit log", err)
	checkEqual(t, "audit entries of globex", ids(got, auditID), []string{other.ID})
	got, err = s.ListAudit(t.Context(), "initech", hookbridge.AuditFilter{})
	must(t, "list audit log of an app without entries", err)
	if len(got) != 0 {
		t.Errorf("app without entries lists %d", len(got))
	}
}

func testAuditPages(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	var all []string // newest first
	for i := range 5 {
		e := appendAudit(t, s, newAuditEntry("acme", at.Add(time.Duration(i)*time.Second), fmt.Sprintf("ep_%d", i)))
		all = append([]string{e.ID}, all...)
	}
	tests := []struct {
		name   string
		filter hookbridge.AuditFilter
		want   []string
	}{
		{"first page", hookbridge.AuditFilter{Limit: 2}, all[:2]},
		{"second page", hookbridge.AuditFilter{Limit: 2, Before: all[1]}, all[2:4]},
		{"last page", hookbridge.AuditFilter{Before: all[3]}, all[4:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.ListAudit(t.Context(), "acme", tt.filter)
			must(t, "list audit log", err)
			checkEqual(t, "page", ids(page, auditID), tt.want)
		})
	}
}

func testAuditDuplicate(t *testing.T, s hookbridge.Store) {
	e := appendAudit(t, s, newAuditEntry("acme", baseTime(), "ep_1"))
	again := *e
	checkErrorIs(t, "append an entry with a used id", s.AppendAudit(t.Context(), &again), hookbridge.ErrConflict)
}

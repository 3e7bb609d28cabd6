package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/storetest"
)

// TestRetentionQueryPlans checks that pruning finds an app's oldest
// messages, their pending deliveries and their attempts through indexes,
// so that a batch costs the same whether the tables hold a thousand rows or
// a hundred million.
func TestRetentionQueryPlans(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	ids := []any{"a", "m1", "m2"}
	tests := []struct {
		name  string
		query string
		args  []any
		want  []string
	}{
		{"candidates", pruneCandidatesQuery, []any{"a", 0, 500},
			[]string{"USING INDEX messages_by_app_created", "deliveries_by_message"}},
		{"attempts", `DELETE FROM attempts WHERE delivery_id IN (
			SELECT id FROM deliveries WHERE app_id = ? AND message_id IN (?, ?))`, ids,
			[]string{"attempts_by_delivery", "deliveries_by_message"}},
		{"deliveries", `DELETE FROM deliveries WHERE app_id = ? AND message_id IN (?, ?)`, ids,
			[]string{"deliveries_by_message"}},
		{"customer index", `DELETE FROM message_customers WHERE +app_id = ? AND message_id IN (?, ?)`, ids,
			[]string{"message_customers_by_message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explain(t, s, tt.query, tt.args)
			for _, want := range tt.want {
				if !strings.Contains(plan, want) {
					t.Errorf("plan does not use %q:\n%s", want, plan)
				}
			}
			for _, line := range strings.Split(plan, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "SCAN") && !strings.Contains(line, "USING") {
					t.Errorf("plan scans a whole table: %q\n%s", line, plan)
				}
				if strings.Contains(line, "TEMP B-TREE") {
					t.Errorf("plan sorts rows instead of reading them in index order: %q\n%s", line, plan)
				}
			}
		})
	}
}

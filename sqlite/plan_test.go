package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/storetest"
)

// TestQueryPlans checks that the hot paths are served by indexes, not by
// scanning a table that grows with traffic.
func TestQueryPlans(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	tests := []struct {
		name  string
		query string
		args  []any
		want  []string
		// scans are whole-table scans that are fine (tables that do not
		// grow with traffic, or a bounded subquery) and sorts of a bounded
		// set of rows.
		scans []string
	}{
		{"endpoints to claim for", endpointRoomsQuery, []any{0, ""},
			[]string{"USING INDEX deliveries_leased"}, []string{"SCAN e"}},
		{"due deliveries of an endpoint", dueOfEndpointQuery, []any{"e", 0, 0, 10},
			[]string{"USING INDEX deliveries_due_by_endpoint", "INDEX deliveries_ordered"}, nil},
		{"due deliveries of deleted endpoints", orphansQuery, []any{0, orphanWindow, 0},
			[]string{"USING INDEX deliveries_due"}, []string{"SCAN d"}},
		{"attempts of an endpoint", `SELECT duration_ns FROM attempts WHERE endpoint_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT ?`, []any{"e", 0, 1, 10},
			[]string{"USING INDEX attempts_by_endpoint"}, nil},
		{"message by event id", `SELECT ` + messageColumns + ` FROM messages WHERE app_id = ? AND event_id = ?`, []any{"a", "e"},
			[]string{"USING INDEX messages_by_event_id"}, nil},
		{"list messages", `SELECT ` + messageColumns + ` FROM messages WHERE app_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, []any{"a", "m", 10},
			[]string{"USING INDEX messages_by_app"}, nil},
		{"list deliveries", `SELECT ` + deliveryColumns + ` FROM deliveries WHERE app_id = ? ORDER BY id DESC LIMIT ?`, []any{"a", 10},
			[]string{"USING INDEX deliveries_by_app"}, nil},
		{"deliveries of a message", `SELECT ` + deliveryColumns + ` FROM deliveries WHERE app_id = ? AND message_id = ? ORDER BY id DESC`, []any{"a", "m"},
			[]string{"USING INDEX deliveries_by_message"}, nil},
		{"recover", `UPDATE deliveries SET status = 'pending' WHERE app_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ? AND created_at < ?`, []any{"a", "e", 0, 1},
			[]string{"USING INDEX deliveries_by_endpoint_created"}, nil},
		{"deliveries of an endpoint by status", `SELECT status, count(*) FROM deliveries WHERE app_id = ? AND endpoint_id = ? AND created_at >= ? AND created_at < ? GROUP BY status`, []any{"a", "e", 0, 1},
			[]string{"USING INDEX deliveries_by_endpoint_created"}, []string{"USE TEMP B-TREE FOR GROUP BY"}},
		{"deliveries of an endpoint", `SELECT ` + deliveryColumns + ` FROM deliveries WHERE app_id = ? AND endpoint_id = ? ORDER BY id DESC LIMIT ?`, []any{"a", "e", 10},
			[]string{"USING INDEX deliveries_by_endpoint"}, nil},
		{"cancel deliveries of a deleted endpoint", cancelPendingQuery, []any{0, "a", "e"},
			[]string{"USING INDEX deliveries_due_by_endpoint"}, nil},
		{"listed due deliveries", listedDueQuery, []any{0, `["d1","d2"]`},
			[]string{"USING INDEX sqlite_autoindex_deliveries_1 (id=?)", "INDEX deliveries_ordered"},
			[]string{"SCAN json_each VIRTUAL TABLE INDEX 1:", "USE TEMP B-TREE FOR ORDER BY"}},
		{"endpoints of listed deliveries to claim for", endpointRoomsOfQuery, []any{0, `["e1","e2"]`},
			[]string{"USING INDEX sqlite_autoindex_endpoints_1 (id=?)", "USING INDEX deliveries_leased"},
			[]string{"SCAN json_each VIRTUAL TABLE INDEX 1:"}},
		{"lease", leaseQuery, []any{1, "node", 0, 0, `["d1","d2"]`},
			[]string{"USING INDEX sqlite_autoindex_deliveries_1 (id=?)"}, []string{"SCAN json_each VIRTUAL TABLE INDEX 1:"}},
		{"take over the leases of stale nodes", takeOverQuery, []any{0},
			[]string{"USING INDEX deliveries_leased", "USING INDEX sqlite_autoindex_nodes_1 (id=?)"}, nil},
		{"messages by id", `SELECT ` + messageColumns + ` FROM messages WHERE id IN ` + idList, []any{`["m"]`},
			[]string{"USING INDEX sqlite_autoindex_messages_1 (id=?)"}, []string{"SCAN json_each VIRTUAL TABLE INDEX 1:"}},
		{"attempts", `SELECT ` + attemptColumns + ` FROM attempts WHERE delivery_id = ? ORDER BY created_at, id`, []any{"d"},
			[]string{"USING INDEX attempts_by_delivery"}, nil},
		{"a customer's messages", `SELECT message_id FROM message_customers WHERE app_id = ? AND customer_key = ? AND message_id < ? ORDER BY message_id DESC LIMIT ?`,
			[]any{"a", "cus_1", "m", 10}, []string{"USING PRIMARY KEY (app_id=? AND customer_key=? AND message_id<?)"}, nil},
		{"deliveries of messages", deliveriesOfMessagesQuery, []any{`["m"]`, "a"}, []string{"USING INDEX deliveries_by_message"},
			[]string{"SCAN m VIRTUAL TABLE INDEX 1:", "USE TEMP B-TREE FOR ORDER BY"}},
		{"last attempts", lastAttemptsQuery, []any{`["d"]`},
			[]string{"USING INDEX sqlite_autoindex_attempts_1 (id=?)", "attempts_by_delivery (delivery_id=?)"},
			[]string{"SCAN json_each VIRTUAL TABLE INDEX 1:", "SCAN d VIRTUAL TABLE INDEX 1:"}},
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
				scan := strings.TrimSpace(line)
				if strings.HasPrefix(scan, "SCAN") && !strings.Contains(line, "USING") && !slices.Contains(tt.scans, scan) {
					t.Errorf("plan scans a whole table: %q\n%s", line, plan)
				}
				if strings.Contains(line, "TEMP B-TREE") && !slices.Contains(tt.scans, scan) {
					t.Errorf("plan sorts rows instead of reading them in index order: %q\n%s", line, plan)
				}
			}
		})
	}
}

func explain(t *testing.T, s *Store, query string, args []any) string {
	t.Helper()
	rows, err := s.write.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

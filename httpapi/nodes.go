package httpapi

import (
	"net/http"

	"github.com/hookbridge/hookbridge"
)

// nodeView is a node as the API shows it.
type nodeView struct {
	*hookbridge.Node
	// Alive says whether the node beat within hookbridge.NodeStaleAfter.
	Alive bool `json:"alive"`
}

// listNodes answers the processes sharing the store, for admins: on
// PostgreSQL every node, on SQLite the one process.
func (s *Server) listNodes(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	nodes, err := s.store.ListNodes(r.Context())
	if err != nil {
		return err
	}
	now := s.now()
	views := make([]nodeView, len(nodes))
	for i, n := range nodes {
		views[i] = nodeView{Node: n, Alive: n.Alive(now)}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": views})
}

package node

import (
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

// TestNodesOpenTogetherOnOneDatabase opens five nodes at once on a fresh
// PostgreSQL database with the same admin token, as a cluster starting up
// does: they migrate and bootstrap together, and every one must open.
func TestNodesOpenTogetherOnOneDatabase(t *testing.T) {
	dbURL := pgtest.FreshDatabase(t)
	const nodes = 5
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, nodes)
	)
	for i := range nodes {
		wg.Go(func() {
			<-start
			n, err := Open(t.Context(), Config{
				DataDir:     t.TempDir(),
				DatabaseURL: dbURL,
				SecretKey:   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
				AdminToken:  "hbk_node-test-admin-token-0123",
			})
			if err == nil {
				err = n.Close()
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
}

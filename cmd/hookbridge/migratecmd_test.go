package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

// migrationFiles lists the migrations a store ships, as the migrate
// command names them.
func migrationFiles(t *testing.T, store string) []string {
	t.Helper()
	matches, err := fs.Glob(os.DirFS("../../"+store+"/migrations"), "*.sql")
	if err != nil || len(matches) == 0 {
		t.Fatalf("no migrations found for %s: %v", store, err)
	}
	return matches
}

var appliedLine = regexp.MustCompile(`(?m)^applied (\S+)$`)

func appliedFiles(out string) []string {
	var files []string
	for _, m := range appliedLine.FindAllStringSubmatch(out, -1) {
		files = append(files, m[1])
	}
	return files
}

func TestMigrateSQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out, err := run(t, "", "migrate", "--data-dir", dir)
	if err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if got, want := appliedFiles(out), migrationFiles(t, "sqlite"); !slices.Equal(got, want) {
		t.Errorf("first migrate applied %v, want %v\n%s", got, want, out)
	}
	if !strings.Contains(out, filepath.Join(dir, "hookbridge.db")) {
		t.Errorf("output does not name the database file:\n%s", out)
	}

	out, err = run(t, "", "migrate", "--data-dir", dir)
	if err != nil || len(appliedFiles(out)) != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: %v\n%s\nwant nothing applied, up to date", err, out)
	}
}

func TestMigrateReadsDataDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOOKBRIDGE_DATA_DIR", dir)
	out, err := run(t, "", "migrate")
	if err != nil || !strings.Contains(out, filepath.Join(dir, "hookbridge.db")) {
		t.Fatalf("migrate with HOOKBRIDGE_DATA_DIR: %v\n%s", err, out)
	}
}

// TestMigratePostgresConcurrently runs three migrate commands at once on a
// fresh database, as three nodes being rolled out together would: all
// succeed, and between them every migration is applied exactly once.
func TestMigratePostgresConcurrently(t *testing.T) {
	dbURL := pgtest.FreshDatabase(t)
	const nodes = 3
	var (
		start = make(chan struct{})
		wg    sync.WaitGroup
		outs  = make([]string, nodes)
		errs  = make([]error, nodes)
	)
	for i := range nodes {
		wg.Go(func() {
			<-start
			outs[i], errs[i] = run(t, "", "migrate", "--database-url", dbURL)
		})
	}
	close(start)
	wg.Wait()

	var all []string
	for i := range nodes {
		if errs[i] != nil {
			t.Errorf("migrate %d: %v\n%s", i, errs[i], outs[i])
		}
		if strings.Contains(outs[i], "postgres://") {
			t.Errorf("migrate %d printed the database URL:\n%s", i, outs[i])
		}
		all = append(all, appliedFiles(outs[i])...)
	}
	slices.Sort(all)
	if want := migrationFiles(t, "postgres"); !slices.Equal(all, want) {
		t.Errorf("the three runs applied %v between them, want each of %v once\n%s", all, want, strings.Join(outs, "\n---\n"))
	}

	out, err := run(t, "", "migrate", "--database-url", dbURL)
	if err != nil || len(appliedFiles(out)) != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("migrate again: %v\n%s\nwant nothing applied", err, out)
	}
}

func TestMigrateRefusesBadURLWithoutEchoingIt(t *testing.T) {
	out, err := run(t, "", "migrate", "--database-url", "postgres://u:hunter2@[bad")
	if err == nil {
		t.Fatalf("migrate with a malformed URL succeeded:\n%s", out)
	}
	if strings.Contains(err.Error()+out, "hunter2") {
		t.Errorf("the password appears in the output or error: %v\n%s", err, out)
	}
}

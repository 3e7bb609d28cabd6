package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/node"
	"github.com/hookbridge/hookbridge/secretbox"
)

func generateKey(t *testing.T) string {
	t.Helper()
	k, err := secretbox.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRotateKeyReencryptsUnderTheFirstKey(t *testing.T) {
	dir := t.TempDir()
	oldKey, newKey := generateKey(t), generateKey(t)
	ctx := context.Background()
	n, err := node.Open(ctx, node.Config{DataDir: dir, SecretKey: oldKey, AdminToken: adminToken})
	if err != nil {
		t.Fatal(err)
	}
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: hookbridge.DefaultAppID, Name: "cio",
		Integration: "customerio", Credentials: hookbridge.Credentials{"site_id": "site", "api_key": "cio-key-0123456789"},
		EventTypes: []string{}, Headers: map[string]string{}, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := n.Store.CreateEndpoint(ctx, ep); err != nil {
		t.Fatal(err)
	}
	n.Close()

	out, err := run(t, "", "rotate-key", "--data-dir", dir, "--secret-key", newKey+","+oldKey)
	if err != nil || !strings.Contains(out, "re-encrypted 1 secrets") {
		t.Fatalf("rotate-key: %v\n%s", err, out)
	}
	out, err = run(t, "", "rotate-key", "--data-dir", dir, "--secret-key", newKey+","+oldKey)
	if err != nil || !strings.Contains(out, "nothing to do") {
		t.Fatalf("rotate-key again: %v\n%s", err, out)
	}
	if strings.Contains(out, oldKey) || strings.Contains(out, newKey) {
		t.Fatal("rotate-key printed a key")
	}

	// The old key can go: the new one alone opens everything.
	n, err = node.Open(ctx, node.Config{DataDir: dir, SecretKey: newKey, AdminToken: adminToken})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	got, err := n.Store.GetEndpoint(ctx, hookbridge.DefaultAppID, ep.ID)
	if err != nil || got.Credentials["api_key"] != "cio-key-0123456789" {
		t.Fatalf("endpoint after rotation, with only the new key: %v %v", err, got)
	}

	_, err = run(t, "", "rotate-key", "--data-dir", dir, "--secret-key", generateKey(t))
	if err == nil || strings.Contains(err.Error(), newKey) {
		t.Fatalf("rotate-key with a ring lacking the key in use: %v, want an error that quotes no key", err)
	}
}

func TestRotateKeyNeedsAKeyRing(t *testing.T) {
	_, err := run(t, "", "rotate-key", "--data-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no key ring") {
		t.Fatalf("rotate-key without a key: %v", err)
	}
}

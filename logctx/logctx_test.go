package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/hookbridge/hookbridge/logctx"
)

func TestRecordsCarryTheContextsAttributes(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(logctx.Handler(slog.NewJSONHandler(&out, nil)))

	ctx := logctx.With(context.Background(), "request_id", "req_1")
	ctx = logctx.With(ctx, slog.String("message_id", "msg_1"), "endpoint_id", "ep_1")
	log.With("component", "test").InfoContext(ctx, "hello", "n", 1)
	log.Info("no context")

	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("logged %d lines, want 2:\n%s", len(lines), out.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[1], &second); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{"request_id": "req_1", "message_id": "msg_1", "endpoint_id": "ep_1", "component": "test", "n": 1.0} {
		if first[key] != want {
			t.Errorf("%s = %v, want %v in %s", key, first[key], want, lines[0])
		}
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("a record without the context has request_id: %s", lines[1])
	}
}

func TestWithDoesNotChangeTheParent(t *testing.T) {
	parent := logctx.With(context.Background(), "a", 1)
	child := logctx.With(parent, "b", 2)
	_ = logctx.With(parent, "c", 3)
	if n := len(logctx.Attrs(parent)); n != 1 {
		t.Errorf("parent has %d attributes, want 1", n)
	}
	if n := len(logctx.Attrs(child)); n != 2 {
		t.Errorf("child has %d attributes, want 2", n)
	}
	if v, ok := logctx.Value(child, "b"); !ok || v.Int64() != 2 {
		t.Errorf("Value(b) = %v, %v", v, ok)
	}
	if _, ok := logctx.Value(child, "c"); ok {
		t.Error("a sibling's attribute leaked into the child")
	}
}

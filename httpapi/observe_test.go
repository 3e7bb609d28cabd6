package httpapi

import (
	"log/slog"
	"testing"
)

func TestRequestLogLevel(t *testing.T) {
	for _, c := range []struct {
		route  string
		status int
		want   slog.Level
	}{
		{"POST /ingest/{source}", 202, slog.LevelDebug},
		{"POST /api/v1/apps/{app}/messages", 202, slog.LevelDebug},
		{"POST /api/v1/apps/{app}/messages", 200, slog.LevelDebug}, // a duplicate
		{"POST /ingest/{source}", 401, slog.LevelInfo},
		{"POST /api/v1/apps/{app}/messages", 422, slog.LevelInfo},
		{"POST /ingest/{source}", 503, slog.LevelWarn},
		{"GET /readyz", 200, slog.LevelDebug},
		{"GET /readyz", 503, slog.LevelWarn},
		{"unmatched", 404, slog.LevelDebug},
		{"POST /api/v1/apps/{app}/endpoints", 201, slog.LevelInfo},
		{"GET /api/v1/apps/{app}/messages", 200, slog.LevelInfo},
		{"GET /api/v1/apps/{app}/messages", 500, slog.LevelWarn},
	} {
		if got := requestLogLevel(c.route, c.status); got != c.want {
			t.Errorf("%s answered %d: logged at %v, want %v", c.route, c.status, got, c.want)
		}
	}
}

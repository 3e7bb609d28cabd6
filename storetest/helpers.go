package storetest

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Stores may keep times with microsecond precision only; the suite builds
// its times at millisecond precision and compares them at that precision.
const timePrecision = time.Millisecond

// baseTime is the start of a test's timeline: now, so that a store which
// looks at the clock anywhere still sees sensible times.
func baseTime() time.Time {
	return time.Now().UTC().Truncate(timePrecision)
}

func sameTime(a, b time.Time) bool {
	return a.Truncate(timePrecision).Equal(b.Truncate(timePrecision))
}

// normTime makes a time comparable with reflect.DeepEqual: UTC, no
// monotonic reading, at the suite's precision.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(timePrecision)
}

func normTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := normTime(*t)
	return &n
}

// normMap treats nil and empty maps alike.
func normMap[M ~map[string]string](m M) M {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

func normSlice[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

func normApp(a *hookbridge.App) hookbridge.App {
	n := *a
	n.CreatedAt = normTime(n.CreatedAt)
	n.RetrySchedule = normSlice(n.RetrySchedule)
	return n
}

func normToken(tok *hookbridge.Token) hookbridge.Token {
	n := *tok
	n.Hash = normSlice(n.Hash)
	n.CreatedAt = normTime(n.CreatedAt)
	n.ExpiresAt = normTimePtr(n.ExpiresAt)
	n.RevokedAt = normTimePtr(n.RevokedAt)
	return n
}

func normSource(s *hookbridge.Source) hookbridge.Source {
	n := *s
	n.CreatedAt = normTime(n.CreatedAt)
	n.UpdatedAt = normTime(n.UpdatedAt)
	n.Secrets = nil
	for _, sec := range s.Secrets {
		n.Secrets = append(n.Secrets, hookbridge.SourceSecret{
			Secret:    sec.Secret,
			CreatedAt: normTime(sec.CreatedAt),
			ExpiresAt: normTimePtr(sec.ExpiresAt),
		})
	}
	return n
}

func normEndpoint(e *hookbridge.Endpoint) hookbridge.Endpoint {
	n := *e
	n.Credentials = normMap(n.Credentials)
	n.Headers = normMap(n.Headers)
	n.EventTypes = normSlice(n.EventTypes)
	n.CreatedAt = normTime(n.CreatedAt)
	n.UpdatedAt = normTime(n.UpdatedAt)
	n.FailingSince = normTimePtr(n.FailingSince)
	n.PausedUntil = normTimePtr(n.PausedUntil)
	n.DisabledAt = normTimePtr(n.DisabledAt)
	n.Save = hookbridge.VersionNote{} // kept in the transformation's version
	return n
}

func normMessage(m *hookbridge.Message) hookbridge.Message {
	n := *m
	n.CreatedAt = normTime(n.CreatedAt)
	return n
}

// normDelivery leaves out UpdatedAt, which the store sets when it likes.
func normDelivery(d *hookbridge.Delivery) hookbridge.Delivery {
	n := *d
	n.NextAttemptAt = normTime(n.NextAttemptAt)
	n.CreatedAt = normTime(n.CreatedAt)
	n.UpdatedAt = time.Time{}
	return n
}

func normAttempt(a *hookbridge.Attempt) hookbridge.Attempt {
	n := *a
	n.Request.Headers = normMap(n.Request.Headers)
	n.ResponseHeaders = normMap(n.ResponseHeaders)
	n.CreatedAt = normTime(n.CreatedAt)
	return n
}

// checkEqual fails the test if got and want, normalised, differ.
func checkEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// checkErrorIs fails the test unless err matches target.
func checkErrorIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

// must fails the test at once if err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// sortedIDs returns the ids of items, sorted, for comparing unordered lists.
func sortedIDs[T any](items []T, id func(T) string) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	slices.Sort(ids)
	return ids
}

// ids returns the ids of items in their order.
func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func messageID(m *hookbridge.Message) string   { return m.ID }
func deliveryID(d *hookbridge.Delivery) string { return d.ID }
func endpointID(e *hookbridge.Endpoint) string { return e.ID }
func claimID(c *hookbridge.Claim) string       { return c.Delivery.ID }

// sorted returns a sorted copy of ids, never nil.
func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

package posthogtest_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge/integration/posthog/posthogtest"
)

func post(t *testing.T, fake *posthogtest.Server, url, body string) int {
	t.Helper()
	resp, err := fake.Client().Post(url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestTheFakeRefusesWhatPostHogRefuses(t *testing.T) {
	fake := posthogtest.New(t)
	key := `"api_key":"` + posthogtest.APIKey + `"`
	cases := []struct {
		name, url, body string
		status          int
	}{
		{"accepted", "https://us.i.posthog.com/i/v0/e/", `{` + key + `,"event":"x","distinct_id":"c"}`, 200},
		{"capture path", "https://us.i.posthog.com/capture", `{` + key + `,"event":"x","distinct_id":"c"}`, 200},
		{"unknown path", "https://us.i.posthog.com/track", `{` + key + `,"event":"x","distinct_id":"c"}`, 404},
		{"no key", "https://us.i.posthog.com/i/v0/e/", `{"event":"x","distinct_id":"c"}`, 401},
		{"wrong key", "https://us.i.posthog.com/i/v0/e/", `{"api_key":"phc_other","event":"x","distinct_id":"c"}`, 401},
		{"other region", "https://eu.i.posthog.com/i/v0/e/", `{` + key + `,"event":"x","distinct_id":"c"}`, 401},
		{"no event", "https://us.i.posthog.com/i/v0/e/", `{` + key + `,"distinct_id":"c"}`, 400},
		{"no distinct_id", "https://us.i.posthog.com/i/v0/e/", `{` + key + `,"event":"x"}`, 400},
		{"not JSON", "https://us.i.posthog.com/i/v0/e/", `event=x`, 400},
		{"batch item without id", "https://us.i.posthog.com/batch/", `{` + key + `,"batch":[{"event":"x"}]}`, 400},
	}
	for _, tc := range cases {
		if got := post(t, fake, tc.url, tc.body); got != tc.status {
			t.Errorf("%s: answered %d, want %d", tc.name, got, tc.status)
		}
	}
	if got := post(t, fake, "https://us.i.posthog.com/i/v0/e/", `{`+key+`,"event":"x","distinct_id":"c"}`); got != http.StatusOK {
		t.Fatal(got)
	}
}

func TestTheFakeDropsWhatPostHogDrops(t *testing.T) {
	fake := posthogtest.New(t)
	key := `"api_key":"` + posthogtest.APIKey + `"`
	for _, body := range []string{
		`{` + key + `,"event":"x","distinct_id":"c","uuid":"not-a-uuid"}`,
		`{` + key + `,"event":"x","distinct_id":"null"}`,
	} {
		if got := post(t, fake, "https://us.i.posthog.com/i/v0/e/", body); got != http.StatusOK {
			t.Fatalf("answered %d to %s", got, body)
		}
	}
	if len(fake.Dropped()) != 2 || len(fake.Accepted()) != 0 {
		t.Errorf("dropped %+v, accepted %+v", fake.Dropped(), fake.Accepted())
	}
}

func TestTheFakeDeduplicatesOnUUID(t *testing.T) {
	fake := posthogtest.New(t)
	body := `{"api_key":"` + posthogtest.APIKey + `","event":"x","distinct_id":"c","uuid":"6f1c2a9e-4b73-5d0a-9c51-e2873d60b415","timestamp":"2025-08-04T05:30:45Z"}`
	post(t, fake, "https://us.i.posthog.com/i/v0/e/", body)
	post(t, fake, "https://us.i.posthog.com/i/v0/e/", body)
	if len(fake.Accepted()) != 1 || len(fake.Duplicates()) != 1 {
		t.Errorf("accepted %d, duplicates %d", len(fake.Accepted()), len(fake.Duplicates()))
	}
}

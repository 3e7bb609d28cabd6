package mixpanel_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// validEvent is an event the Import API takes, with fields to replace.
func validEvent(replace map[string]string) string {
	fields := map[string]string{
		"event":       `"Payment Completed"`,
		"time":        fmt.Sprint(now.Add(-time.Minute).UnixMilli()),
		"distinct_id": `"cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc"`,
		"$insert_id":  `"01K1SRXQY05N6H6NPMB87ZM6HG"`,
		"amount":      `32.65`,
	}
	for k, v := range replace {
		fields[k] = v
	}
	var props []string
	for _, k := range []string{"time", "distinct_id", "$insert_id", "amount"} {
		if fields[k] != "-" {
			props = append(props, fmt.Sprintf("%q:%s", k, fields[k]))
		}
	}
	ev := `"properties":{` + strings.Join(props, ",") + `}`
	if fields["event"] != "-" {
		ev = `"event":` + fields["event"] + "," + ev
	}
	return "{" + ev + "}"
}

// prepared is a request to the Import API prepared with the fake's
// credentials.
func prepared(t *testing.T, url, body string) *hookbridge.OutboundRequest {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(body)}
	sc := hookbridge.SendContext{IdempotencyKey: "01K1SRXQY05N6H6NPMB87ZM6HG", Now: now}
	if err := mixpanel.New().Prepare(req, mixpaneltest.New(t).Credentials(), sc); err != nil {
		t.Fatal(err)
	}
	return req
}

func problemsOn(ps []hookbridge.Problem, field string) []hookbridge.Problem {
	var out []hookbridge.Problem
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

func TestAValidImportHasNoProblems(t *testing.T) {
	req := prepared(t, mixpanel.DefaultURL, "["+validEvent(nil)+"]")
	if ps := mixpanel.New().Validate(req, now); len(ps) != 0 {
		t.Fatalf("problems %+v, want none", ps)
	}
}

func TestEachRuleOfTheImportAPI(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	cases := []struct {
		name, url, body, field string
		warning                bool
	}{
		{"no event name", "", "[" + validEvent(map[string]string{"event": `""`}) + "]", "[0].event", false},
		{"no time", "", "[" + validEvent(map[string]string{"time": "-"}) + "]", "[0].properties.time", false},
		{"time as text", "", "[" + validEvent(map[string]string{"time": `"2025-08-04"`}) + "]", "[0].properties.time", false},
		{"time before 1971", "", "[" + validEvent(map[string]string{"time": "1000"}) + "]", "[0].properties.time", false},
		{"time over an hour ahead", "", "[" + validEvent(map[string]string{"time": fmt.Sprint(now.Add(2 * time.Hour).UnixMilli())}) + "]", "[0].properties.time", false},
		{"no distinct_id", "", "[" + validEvent(map[string]string{"distinct_id": "-"}) + "]", "[0].properties.distinct_id", false},
		{"distinct_id a number", "", "[" + validEvent(map[string]string{"distinct_id": "42"}) + "]", "[0].properties.distinct_id", false},
		{"placeholder distinct_id", "", "[" + validEvent(map[string]string{"distinct_id": `"null"`}) + "]", "[0].properties.distinct_id", false},
		{"empty distinct_id", "", "[" + validEvent(map[string]string{"distinct_id": `""`}) + "]", "[0].properties.distinct_id", true},
		{"$insert_id too long", "", "[" + validEvent(map[string]string{"$insert_id": `"` + strings.Repeat("a", 37) + `"`}) + "]", "[0].properties.$insert_id", false},
		{"$insert_id with an underscore", "", "[" + validEvent(map[string]string{"$insert_id": `"msg_1"`}) + "]", "[0].properties.$insert_id", false},
		{"event over 1 MB", "", "[" + validEvent(map[string]string{"amount": `"` + big + `"`}) + "]", "[0]", false},
		{"not JSON", "", "[{", "body", false},
		{"an event not an object", "", `["Payment Completed"]`, "[0]", false},
		{"no properties", "", `[{"event":"Payment Completed"}]`, "[0].properties", false},
		{"no events", "", "[]", "body", false},
		{"over 2000 events", "", "[" + strings.TrimSuffix(strings.Repeat(validEvent(nil)+",", 2001), ",") + "]", "body", false},
		{"strict mode off", "https://api.mixpanel.com/import?strict=0", "[" + validEvent(nil) + "]", "url", true},
		{"not the import", "https://api.mixpanel.com/track", "[" + validEvent(nil) + "]", "url", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := c.url
			if url == "" {
				url = mixpanel.DefaultURL
			}
			ps := problemsOn(mixpanel.New().Validate(prepared(t, url, c.body), now), c.field)
			if len(ps) == 0 {
				t.Fatalf("no problem on %s", c.field)
			}
			if ps[0].Warning != c.warning || ps[0].Fix == "" {
				t.Errorf("problem %+v: want warning=%v, with a fix", ps[0], c.warning)
			}
		})
	}
}

func TestTooManyPropertiesAreRefused(t *testing.T) {
	var props []string
	for i := range 255 {
		props = append(props, fmt.Sprintf(`"p%d":1`, i))
	}
	ev := strings.Replace(validEvent(nil), `"amount":32.65`, strings.Join(props, ","), 1)
	if ps := problemsOn(mixpanel.New().Validate(prepared(t, mixpanel.DefaultURL, "["+ev+"]"), now), "[0].properties"); len(ps) == 0 {
		t.Fatal("no problem for 258 properties")
	}
}

func TestAnImportWithoutProjectIDOrCredentialsIsRefused(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api.mixpanel.com/import?strict=1", Body: []byte("[" + validEvent(nil) + "]")}
	ps := mixpanel.New().Validate(req, now)
	var url, headers bool
	for _, p := range ps {
		url = url || (p.Field == "url" && strings.Contains(p.Message, "project_id") && !p.Warning)
		headers = headers || (p.Field == "headers" && !p.Warning)
	}
	if !url || !headers {
		t.Errorf("problems %+v: want the missing project_id and credentials", ps)
	}
}

func TestAnotherMethodIsRefused(t *testing.T) {
	req := prepared(t, mixpanel.DefaultURL, "["+validEvent(nil)+"]")
	req.Method = "PUT"
	if ps := problemsOn(mixpanel.New().Validate(req, now), "method"); len(ps) == 0 {
		t.Fatal("no problem for PUT")
	}
}

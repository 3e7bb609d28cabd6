package mixpaneltest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

func event(distinctID, insertID string) string {
	return fmt.Sprintf(`{"event":"Signup","properties":{"time":%d,"distinct_id":%q,"$insert_id":%q}}`,
		time.Now().Add(-time.Minute).UnixMilli(), distinctID, insertID)
}

func post(t *testing.T, s *mixpaneltest.Server, query, contentType, body string) delivery.Response {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api.mixpanel.com/import" + query, Body: []byte(body),
		Headers: map[string]string{"Content-Type": contentType,
			"Authorization": outbound.BasicAuth(mixpaneltest.Username, mixpaneltest.Secret)}}
	return (&delivery.Sender{Client: s.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
}

const query = "?strict=1&project_id=" + mixpaneltest.ProjectID

func TestImportsAndCountsOnce(t *testing.T) {
	s := mixpaneltest.New(t)
	body := "[" + event("cus_1", "id-1") + "," + event("cus_1", "id-1") + "]"
	resp := post(t, s, query, "application/json", body)
	if resp.Status != 200 || !strings.Contains(resp.Body, `"num_records_imported":2`) || len(s.Events()) != 1 || len(s.Duplicates()) != 1 {
		t.Errorf("answer %d %s; %d events, %d duplicates", resp.Status, resp.Body, len(s.Events()), len(s.Duplicates()))
	}
}

func TestTakesNDJSON(t *testing.T) {
	s := mixpaneltest.New(t)
	resp := post(t, s, query, "application/x-ndjson", event("cus_1", "a")+"\n"+event("cus_2", "b")+"\n")
	if resp.Status != 200 || len(s.Events()) != 2 {
		t.Errorf("answer %d %s", resp.Status, resp.Body)
	}
}

func TestRefusals(t *testing.T) {
	many := "[" + strings.TrimSuffix(strings.Repeat(event("cus_1", "x")+",", 2001), ",") + "]"
	for name, c := range map[string]struct {
		query, contentType, body string
		status                   int
		says                     string
	}{
		"no project_id":       {"?strict=1", "application/json", "[" + event("c", "a") + "]", 400, "project_id"},
		"another project":     {"?strict=1&project_id=1", "application/json", "[" + event("c", "a") + "]", 403, "access"},
		"not JSON":            {query, "application/json", "[{", 400, "parse"},
		"form body":           {query, "application/x-www-form-urlencoded", "data=x", 400, "Content-Type"},
		"over 2000 events":    {query, "application/json", many, 400, "2000"},
		"placeholder id":      {query, "application/json", "[" + event("undefined", "a") + "]", 400, `"failed_records":[{"index":0`},
		"$insert_id too long": {query, "application/json", "[" + event("c", strings.Repeat("a", 37)) + "]", 400, "36 bytes"},
	} {
		t.Run(name, func(t *testing.T) {
			s := mixpaneltest.New(t)
			resp := post(t, s, c.query, c.contentType, c.body)
			if resp.Status != c.status || !strings.Contains(resp.Body, c.says) || len(s.Events()) != 0 {
				t.Errorf("answer %d %s, want %d saying %s", resp.Status, resp.Body, c.status, c.says)
			}
		})
	}
}

func TestWithoutStrictModeDropsSilently(t *testing.T) {
	s := mixpaneltest.New(t)
	resp := post(t, s, "?project_id="+mixpaneltest.ProjectID, "application/json", "["+event("null", "a")+","+event("cus_1", "b")+"]")
	if resp.Status != 200 || len(s.Events()) != 1 || len(s.Dropped()) != 1 {
		t.Errorf("answer %d %s; %d imported, %d dropped", resp.Status, resp.Body, len(s.Events()), len(s.Dropped()))
	}
}

func TestWrongCredentialsAre401(t *testing.T) {
	s := mixpaneltest.New(t)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api.mixpanel.com/import" + query, Body: []byte("[" + event("c", "a") + "]"),
		Headers: map[string]string{"Content-Type": "application/json", "Authorization": outbound.BasicAuth(mixpaneltest.Username, "nope")}}
	resp := (&delivery.Sender{Client: s.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	if resp.Status != 401 {
		t.Errorf("answer %d %s", resp.Status, resp.Body)
	}
}

package kit

import (
	"embed"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

//go:embed testdata/*.js
var testTemplates embed.FS

// regional is a tool with two regional hosts, Basic auth and a Prepare
// hook that records that it ran.
func regional() Spec {
	return Spec{
		ID: "tool", Name: "Tool", Group: hookbridge.GroupAnalytics, Description: "a tool",
		DefaultURL: "https://api.tool.example/v1/send",
		Hosts:      []string{"api.tool.example", "api-eu.tool.example"},
		Regions: &Regions{Field: "region", Default: "us",
			Hosts: map[string]string{"us": "api.tool.example", "eu": "api-eu.tool.example"}},
		Credentials: []hookbridge.CredentialField{
			{Name: "user", Label: "User", Required: true},
			{Name: "key", Label: "Key", Secret: true, Required: true},
			{Name: "region", Label: "Region", Choices: []string{"us", "eu"}, Default: "us"},
		},
		Auth: Basic("user", "key"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			req.SetHeader("X-Prepared", sc.IdempotencyKey)
			return nil
		},
	}
}

// selfHosted is a tool whose URL is a credential, on any host.
func selfHosted(urlHosts ...string) Spec {
	return Spec{
		ID: "hosted", Name: "Hosted", Group: hookbridge.GroupAutomation, Description: "a self-hosted tool",
		Credentials:   []hookbridge.CredentialField{URLField("url", "URL", "the webhook URL", urlHosts, "")},
		URLCredential: "url",
		URLHosts:      urlHosts,
	}
}

var (
	toolCreds = hookbridge.Credentials{"user": "u1", "key": "k1", "region": "us"}
	sc        = hookbridge.SendContext{IdempotencyKey: "01K1SRZ3W8B2ERVEJSFZV62BWP", MessageID: "msg_1", Now: time.Date(2025, 8, 4, 5, 31, 0, 0, time.UTC)}
)

func request(url string) *hookbridge.OutboundRequest {
	return &hookbridge.OutboundRequest{URL: url, Headers: map[string]string{"X-Own": "kept"}, Body: []byte(`{"a":1}`)}
}

func build(t *testing.T, spec Spec) *Integration {
	t.Helper()
	in, ok := New(spec).(*Integration)
	if !ok {
		t.Fatalf("New(%s) is not a plain *Integration", spec.ID)
	}
	return in
}

func TestOwnsHost(t *testing.T) {
	tests := []struct {
		name  string
		spec  Spec
		host  string
		creds hookbridge.Credentials
		want  bool
	}{
		{"one of Hosts", regional(), "api.tool.example", nil, true},
		{"another region's host", regional(), "api-eu.tool.example", toolCreds, true},
		{"Hosts ignore case", regional(), "API.Tool.Example", nil, true},
		{"a look-alike", regional(), "api.tool.example.evil.example", nil, false},
		{"a sub-domain of a host", regional(), "x.api.tool.example", nil, false},
		{"no host", regional(), "", nil, false},
		{"a pattern's sub-domain", selfHosted("*.zapier.com"), "hooks.zapier.com", nil, true},
		{"a pattern's deeper sub-domain", selfHosted("*.zapier.com"), "a.b.zapier.com", nil, true},
		{"a pattern does not match its own domain", selfHosted("*.zapier.com"), "zapier.com", nil, false},
		{"a pattern does not match a suffix that is no domain", selfHosted("*.zapier.com"), "evilzapier.com", nil, false},
		{"an exact URL host", selfHosted("hooks.slack.com"), "hooks.slack.com", nil, true},
		{"with URL hosts, the credential's host does not count", selfHosted("hooks.slack.com"), "evil.example",
			hookbridge.Credentials{"url": "https://evil.example/x"}, false},
		{"self-hosted: the credential's host", selfHosted(), "n8n.acme.example",
			hookbridge.Credentials{"url": "https://N8N.acme.example/webhook/abc"}, true},
		{"self-hosted: another host than the credential's", selfHosted(), "evil.example",
			hookbridge.Credentials{"url": "https://n8n.acme.example/webhook/abc"}, false},
		{"self-hosted: no URL credential", selfHosted(), "evil.example", hookbridge.Credentials{}, false},
		{"self-hosted, credentials unknown (Validate): any host", selfHosted(), "n8n.acme.example", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := build(t, tt.spec).ownsHost(tt.host, tt.creds); got != tt.want {
				t.Errorf("ownsHost(%q) = %v, want %v", tt.host, got, tt.want)
			}
		})
	}
}

func TestPrepareLeavesAForeignRequestUntouched(t *testing.T) {
	for _, url := range []string{
		"https://evil.example/v1/send",
		"https://api.tool.example.evil.example/v1/send",
		"https://evil.example/api.tool.example/v1/send",
		"::not a url",
	} {
		t.Run(url, func(t *testing.T) {
			req := request(url)
			before := *req
			before.Headers = maps.Clone(req.Headers)
			if err := New(regional()).Prepare(req, toolCreds, sc); err != nil {
				t.Fatal(err)
			}
			if req.Method != before.Method || req.URL != before.URL || string(req.Body) != string(before.Body) || !maps.Equal(req.Headers, before.Headers) {
				t.Errorf("a request to another host was changed: %+v", req)
			}
		})
	}
}

func TestPrepareOnTheToolsHost(t *testing.T) {
	req := request("https://api.tool.example/v1/send")
	if err := New(regional()).Prepare(req, toolCreds, sc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"X-Own": "kept", "Authorization": outbound.BasicAuth("u1", "k1"),
		"Content-Type": "application/json", "X-Prepared": sc.IdempotencyKey,
	}
	if req.Method != "POST" || !maps.Equal(req.Headers, want) {
		t.Errorf("method %q, headers %v; want POST and %v", req.Method, req.Headers, want)
	}
	typed := request("https://api.tool.example/v1/send")
	typed.SetHeader("content-type", "application/x-ndjson")
	if err := New(regional()).Prepare(typed, toolCreds, sc); err != nil {
		t.Fatal(err)
	}
	if typed.Header("Content-Type") != "application/x-ndjson" {
		t.Errorf("the handler's content type was replaced: %v", typed.Headers)
	}
}

func TestPrepareMovesToTheRegionHost(t *testing.T) {
	tests := []struct {
		name, url, region, want string
	}{
		{"eu moves the us host", "https://api.tool.example/v1/send?x=1", "eu", "https://api-eu.tool.example/v1/send?x=1"},
		{"us moves the eu host", "https://api-eu.tool.example/v1/send", "us", "https://api.tool.example/v1/send"},
		{"no region is the default", "https://api-eu.tool.example/v1/send", "", "https://api.tool.example/v1/send"},
		{"the right host stays", "https://api-eu.tool.example/v1/send", "eu", "https://api-eu.tool.example/v1/send"},
		{"the port stays", "https://api.tool.example:8443/v1/send", "eu", "https://api-eu.tool.example:8443/v1/send"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds := maps.Clone(toolCreds)
			creds["region"] = tt.region
			req := request(tt.url)
			if err := New(regional()).Prepare(req, creds, sc); err != nil {
				t.Fatal(err)
			}
			if req.URL != tt.want {
				t.Errorf("URL = %s, want %s", req.URL, tt.want)
			}
		})
	}
	err := New(regional()).Prepare(request("https://api.tool.example/v1/send"), hookbridge.Credentials{"region": "ap"}, sc)
	if err == nil || !strings.Contains(err.Error(), `"ap"`) || !strings.Contains(err.Error(), "eu, us") {
		t.Errorf("unknown region: %v, want an error naming it and the regions", err)
	}
}

func TestAuthHelpers(t *testing.T) {
	creds := hookbridge.Credentials{"user": "u1", "key": "k1", "token": "t1", "broken": "t1\r\nX-Evil: 1"}
	tests := []struct {
		name    string
		auth    Auth
		creds   hookbridge.Credentials
		header  string
		want    string
		wantErr bool
	}{
		{"Basic with a password", Basic("user", "key"), creds, "Authorization", "Basic dTE6azE=", false},
		{"Basic without a password field", Basic("key", ""), creds, "Authorization", "Basic azE6", false},
		{"Basic without the user", Basic("user", "key"), hookbridge.Credentials{"key": "k1"}, "Authorization", "", false},
		{"Basic without the password", Basic("user", "key"), hookbridge.Credentials{"user": "u1"}, "Authorization", "", false},
		{"Bearer", Bearer("token"), creds, "Authorization", "Bearer t1", false},
		{"Bearer without the token", Bearer("token"), hookbridge.Credentials{}, "Authorization", "", false},
		{"Header", Header("X-Api-Key", "", "token"), creds, "X-Api-Key", "t1", false},
		{"Header with a prefix", Header("Authorization", "Token ", "token"), creds, "Authorization", "Token t1", false},
		{"Header refuses a line break", Header("X-Api-Key", "", "broken"), creds, "X-Api-Key", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &hookbridge.OutboundRequest{}
			err := tt.auth(req, tt.creds)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if got := req.Header(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestPrepareReportsAnAuthError(t *testing.T) {
	spec := regional()
	spec.Auth = Bearer("key")
	err := New(spec).Prepare(request("https://api.tool.example/v1/send"), hookbridge.Credentials{"key": "a\nb"}, sc)
	if err == nil || !strings.Contains(err.Error(), "authenticate to Tool") {
		t.Errorf("err = %v, want the auth error wrapped", err)
	}
}

func TestCheckURL(t *testing.T) {
	slack := []string{"hooks.slack.com"}
	tests := []struct {
		name   string
		raw    string
		hosts  []string
		prefix string
		want   string // a part of the message; "" for none
	}{
		{"good", "https://hooks.slack.com/services/T0/B0/x", slack, "/services/", ""},
		{"spaces around are trimmed", "  https://hooks.slack.com/services/T0/B0/x ", slack, "/services/", ""},
		{"any host when none is given", "https://n8n.acme.example/webhook/1", nil, "", ""},
		{"a pattern", "https://hooks.zapier.com/hooks/catch/1/a", []string{"*.zapier.com"}, "", ""},
		{"not a URL", "hooks.slack.com/services/x", slack, "", "is not a URL"},
		{"empty", "", slack, "", "is not a URL"},
		{"plain http", "http://hooks.slack.com/services/x", slack, "", "https://"},
		{"a user in the URL", "https://me:pw@hooks.slack.com/services/x", slack, "", "user name or password"},
		{"another host", "https://evil.example/services/x", slack, "", "evil.example, which is not one of hooks.slack.com"},
		{"a look-alike host", "https://hooks.slack.com.evil.example/services/x", slack, "", "not one of"},
		{"the wrong path", "https://hooks.slack.com/api/x", slack, "/services/", "should start with /services/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckURL(tt.raw, tt.hosts, tt.prefix)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("CheckURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
	f := URLField("url", "URL", "help", slack, "/services/")
	if !f.Secret || !f.Required || f.Check("https://hooks.slack.com/services/x") != "" || f.Check("https://evil.example/services/x") == "" {
		t.Errorf("URLField is not a required secret checked with CheckURL: %+v", f)
	}
}

func TestRetryAfterJSON(t *testing.T) {
	tests := []struct {
		body string
		want time.Duration
	}{
		{`{"retry_after":2}`, 2 * time.Second},
		{`{"retry_after":0.25}`, 250 * time.Millisecond},
		{`{"retry_after":1.0000000001}`, 1*time.Second + time.Nanosecond},
		{`{"retry_after":0}`, 0},
		{`{"retry_after":-3}`, 0},
		{`{"retry_after":"2"}`, 0},
		{`{"retry_after":86401}`, 0},
		{`{"other":2}`, 0},
		{`[2]`, 0},
		{`not json`, 0},
		{``, 0},
	}
	for _, tt := range tests {
		if got := RetryAfterJSON([]byte(tt.body), "retry_after"); got != tt.want {
			t.Errorf("RetryAfterJSON(%s) = %v, want %v", tt.body, got, tt.want)
		}
	}
}

func TestValidateWarnsOfAForeignHost(t *testing.T) {
	spec := regional()
	spec.Validate = func(*hookbridge.OutboundRequest, time.Time) []hookbridge.Problem {
		t.Error("the spec's rules ran on a request to another host")
		return nil
	}
	in := New(spec)
	ps := in.Validate(request("https://evil.example/v1/send"), sc.Now)
	if len(ps) != 1 || !ps[0].Warning || ps[0].Field != "url" ||
		!strings.Contains(ps[0].Message, "evil.example is not a Tool host (api.tool.example, api-eu.tool.example)") ||
		!strings.Contains(ps[0].Message, "without credentials") || !strings.Contains(ps[0].Message, "not checked") ||
		!strings.Contains(ps[0].Fix, `"https://api.tool.example/v1/send"`) {
		t.Errorf("problems %+v, want one warning naming the host, the tool's hosts, and the default URL as the fix", ps)
	}
	ps = in.Validate(request("/v1/send"), sc.Now)
	if len(ps) != 1 || !ps[0].Warning || !strings.Contains(ps[0].Message, `"/v1/send" is not a Tool host`) {
		t.Errorf("a URL without a host: %+v, want the URL named", ps)
	}
	ps = in.Validate(request("https://bad host/"), sc.Now)
	if len(ps) != 1 || ps[0].Warning || ps[0].Field != "url" {
		t.Errorf("a URL that does not parse: %+v, want one blocking problem", ps)
	}
	noDefault := selfHosted("hooks.slack.com")
	ps = New(noDefault).Validate(request("https://evil.example/x"), sc.Now)
	if len(ps) != 1 || !strings.Contains(ps[0].Fix, "one of Hosted's hosts") {
		t.Errorf("without a default URL: %+v", ps)
	}
}

func TestValidateWantsHTTPSAndRunsTheRules(t *testing.T) {
	spec := regional()
	spec.Validate = func(*hookbridge.OutboundRequest, time.Time) []hookbridge.Problem {
		return []hookbridge.Problem{Problem("body", "rule", "fix")}
	}
	ps := New(spec).Validate(request("http://api.tool.example/v1/send?x=1"), sc.Now)
	if len(ps) != 2 || ps[0].Field != "url" || ps[0].Warning || !strings.Contains(ps[0].Message, "https only") ||
		ps[0].Fix != "use https://api.tool.example/v1/send?x=1" || ps[1].Message != "rule" {
		t.Errorf("problems %+v, want the https problem, then the rule's", ps)
	}
	if ps := New(spec).Validate(request("https://api.tool.example/v1/send"), sc.Now); len(ps) != 1 || ps[0].Message != "rule" {
		t.Errorf("over https: %+v, want only the rule's", ps)
	}
}

func TestReadAnswerOnlyOnTheToolsHosts(t *testing.T) {
	spec := regional()
	spec.ReadAnswer = func(*hookbridge.OutboundRequest, hookbridge.Answer) hookbridge.AnswerReading {
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: "read"}
	}
	in := New(spec)
	a := hookbridge.Answer{Status: 200}
	if got := hookbridge.ReadAnswer(in, request("https://api.tool.example/v1/send"), a); got.Reason != "read" {
		t.Errorf("on the tool's host: %+v", got)
	}
	if got := hookbridge.ReadAnswer(in, request("https://evil.example/v1/send"), a); got != (hookbridge.AnswerReading{}) {
		t.Errorf("on another host: %+v, want the zero reading", got)
	}
	if got := hookbridge.ReadAnswer(New(regional()), request("https://api.tool.example/v1/send"), a); got != (hookbridge.AnswerReading{}) {
		t.Errorf("without ReadAnswer: %+v, want the zero reading", got)
	}
}

func TestNewPanicsOnABadSpec(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Spec)
		want   string
	}{
		{"no ID", func(s *Spec) { s.ID = "" }, "an ID and a Name"},
		{"no name", func(s *Spec) { s.Name = "" }, "an ID and a Name"},
		{"an unknown group", func(s *Spec) { s.Group = "Toys" }, `group "Toys"`},
		{"an undeclared URL credential", func(s *Spec) { s.URLCredential = "url" }, `URL credential "url"`},
		{"a URL credential that is not secret", func(s *Spec) { s.URLCredential = "user" }, `URL credential "user"`},
		{"regions without hosts", func(s *Spec) { s.Regions = &Regions{Field: "region"} }, "regions without hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := regional()
			tt.change(&spec)
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.HasPrefix(msg, "kit: ") || !strings.Contains(msg, tt.want) {
					t.Errorf("panic %v, want one saying %q", r, tt.want)
				}
			}()
			New(spec)
		})
	}
}

// batcher is a Batcher that batches nothing.
type batcher struct{}

func (batcher) BatchLimits() hookbridge.BatchLimits { return hookbridge.BatchLimits{MaxItems: 1} }
func (batcher) BatchItem(*hookbridge.OutboundRequest) ([]byte, bool) {
	return nil, false
}
func (batcher) BatchRequest(*hookbridge.OutboundRequest, [][]byte) (*hookbridge.OutboundRequest, error) {
	return nil, nil
}
func (batcher) SplitBatchResponse(int, []byte, int) []string { return nil }

func TestNewWithABatcherBatchesAndReadsAnswers(t *testing.T) {
	spec := regional()
	spec.Batch = batcher{}
	in := New(spec)
	if _, ok := in.(hookbridge.Batcher); !ok {
		t.Error("an integration with Batch is not a Batcher")
	}
	if _, ok := in.(hookbridge.AnswerReader); !ok {
		t.Error("an integration with Batch is not an AnswerReader")
	}
	if _, ok := New(regional()).(hookbridge.Batcher); ok {
		t.Error("an integration without Batch is a Batcher")
	}
}

func TestInfoIsACopy(t *testing.T) {
	spec := regional()
	spec.RateLimit = &hookbridge.RateLimitDefault{Requests: 10}
	spec.Templates = []hookbridge.Template{{ID: "t", EventTypes: []string{"payment.succeeded"}}}
	in := New(spec)
	info := in.Info()
	info.Hosts[0] = "changed"
	info.RateLimit.Requests = 1
	info.Templates[0].EventTypes[0] = "changed"
	again := in.Info()
	if again.Hosts[0] != "api.tool.example" || again.RateLimit.Requests != 10 || again.Templates[0].EventTypes[0] != "payment.succeeded" {
		t.Errorf("changing Info changed the integration: %+v", again)
	}
}

func TestLoadTemplates(t *testing.T) {
	got := LoadTemplates(testTemplates, []Template{{File: "testdata/noop.js", Template: hookbridge.Template{ID: "noop"}}})
	if len(got) != 1 || got[0].ID != "noop" || !strings.Contains(got[0].Code, "function handler") {
		t.Errorf("templates %+v", got)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("a missing template file did not panic")
		}
	}()
	LoadTemplates(testTemplates, []Template{{File: "testdata/missing.js"}})
}

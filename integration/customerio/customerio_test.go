package customerio

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

func TestInfo(t *testing.T) {
	info := New().Info()
	if info.ID != ID || info.Name == "" || info.Description == "" || !info.RequiresTransformation {
		t.Errorf("incomplete info: %+v", info)
	}
	if !slices.Equal(info.Hosts, []string{"track.customer.io", "track-eu.customer.io"}) {
		t.Errorf("hosts = %v", info.Hosts)
	}
	if info.DefaultURL != "https://track.customer.io/api/v2/entity" {
		t.Errorf("default URL = %s", info.DefaultURL)
	}
	if !strings.HasPrefix(info.Logo, "<svg") || !strings.HasSuffix(info.Logo, "</svg>") {
		t.Errorf("logo is not an SVG: %.40s", info.Logo)
	}
	for _, f := range info.Credentials {
		if f.Label == "" || f.Help == "" {
			t.Errorf("credential %s lacks a label or help", f.Name)
		}
	}
}

func TestCheckCredentials(t *testing.T) {
	info := New().Info()
	tests := []struct {
		name      string
		in        hookbridge.Credentials
		want      hookbridge.Credentials
		badFields []string
	}{
		{"complete, region defaults to us", hookbridge.Credentials{"site_id": "abc123", "api_key": "k"},
			hookbridge.Credentials{"site_id": "abc123", "api_key": "k", "region": "us"}, nil},
		{"eu kept", hookbridge.Credentials{"site_id": "abc123", "api_key": "k", "region": "eu"},
			hookbridge.Credentials{"site_id": "abc123", "api_key": "k", "region": "eu"}, nil},
		{"missing both", hookbridge.Credentials{}, nil, []string{"credentials.site_id", "credentials.api_key"}},
		{"blank api key", hookbridge.Credentials{"site_id": "abc123", "api_key": "  "}, nil, []string{"credentials.api_key"}},
		{"bad region", hookbridge.Credentials{"site_id": "abc123", "api_key": "k", "region": "ap"}, nil, []string{"credentials.region"}},
		{"site id with a colon", hookbridge.Credentials{"site_id": "abc:123", "api_key": "k"}, nil, []string{"credentials.site_id"}},
		{"site id with a line break", hookbridge.Credentials{"site_id": "abc\n123", "api_key": "k"}, nil, []string{"credentials.site_id"}},
		{"unknown field", hookbridge.Credentials{"site_id": "abc123", "api_key": "k", "apikey": "k"}, nil, []string{"credentials.apikey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hookbridge.CheckCredentials(info, tt.in)
			var verr *hookbridge.ValidationError
			if tt.badFields == nil {
				if err != nil || len(got) != len(tt.want) {
					t.Fatalf("got %v, %v; want %v", got, err, tt.want)
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("%s = %q, want %q", k, got[k], v)
					}
				}
				return
			}
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			var fields []string
			for _, f := range verr.Fields {
				fields = append(fields, f.Field)
				if strings.Contains(f.Message, "k\"") {
					t.Errorf("message reveals a value: %s", f.Message)
				}
			}
			if !slices.Equal(fields, tt.badFields) {
				t.Errorf("fields = %v, want %v", fields, tt.badFields)
			}
		})
	}
}

func TestSecretValuesAreOnlyTheAPIKey(t *testing.T) {
	got := hookbridge.SecretValues(New().Info(), hookbridge.Credentials{"site_id": "abc123", "api_key": "key456", "region": "us"})
	if !slices.Equal(got, []string{"key456"}) {
		t.Errorf("SecretValues = %v", got)
	}
}

var handlerFunc = regexp.MustCompile(`function\s+handler\s*\(`)

func TestTemplatesAreEmbedded(t *testing.T) {
	tpls := New().Info().Templates
	if len(tpls) != 6 {
		t.Fatalf("%d templates, want 3 correct and 3 from the documentation", len(tpls))
	}
	ids := map[string]bool{}
	for _, tpl := range tpls {
		if tpl.ID == "" || ids[tpl.ID] || tpl.Name == "" || tpl.Description == "" || len(tpl.EventTypes) == 0 {
			t.Errorf("template %q incomplete or duplicate: %+v", tpl.ID, tpl)
		}
		ids[tpl.ID] = true
		if !handlerFunc.MatchString(tpl.Code) {
			t.Errorf("template %s defines no function handler", tpl.ID)
		}
		if tpl.FromDocs != strings.HasSuffix(tpl.Name, "(from the documentation)") {
			t.Errorf("template %s: FromDocs %v but name %q", tpl.ID, tpl.FromDocs, tpl.Name)
		}
	}
}

func TestDocTemplatesAreVerbatim(t *testing.T) {
	for _, spec := range templateSpecs {
		if spec.FromDocs {
			templatetest.Verbatim(t, New(), spec.ID, strings.TrimPrefix(spec.File, "templates/docs/"))
		}
	}
}

func templateByID(t *testing.T, id string) hookbridge.Template {
	t.Helper()
	return templatetest.ByID(t, New(), id)
}

// runTemplate runs a template on a sample event and prepares the result.
func runTemplate(t *testing.T, tpl hookbridge.Template, eventType string, payload []byte) (*hookbridge.OutboundRequest, bool) {
	t.Helper()
	return templatetest.RunPrepared(t, New(), tpl, eventType, payload, DefaultURL, creds, sc)
}

func TestCorrectTemplatesPassValidate(t *testing.T) {
	for _, tpl := range New().Info().Templates {
		if tpl.FromDocs {
			continue
		}
		for _, eventType := range templatetest.SampleTypes() {
			req, changed := runTemplate(t, tpl, eventType, templatetest.Sample(eventType))
			if changed != slices.Contains(tpl.EventTypes, eventType) {
				t.Errorf("%s on %s: changed = %v, but its event types are %v", tpl.ID, eventType, changed, tpl.EventTypes)
			}
			if !changed {
				continue
			}
			if ps := New().Validate(req, sc.Now); len(ps) > 0 {
				t.Errorf("%s on %s: Customer.io would reject it:\n%s%s", tpl.ID, eventType, describeProblems(ps), req.Body)
			}
		}
	}
}

// A delivery reads its body once: Prepare (the event id), Validate and
// BatchItem share one reading, for every template's operation, for a
// batch whose events get their ids and for a v1 event.
func TestPrepareValidateAndBatchItemReadTheBodyOnce(t *testing.T) {
	templatetest.EveryTemplateReadsOnce(t, New(), DefaultURL, creds, sc)
	for _, req := range []*hookbridge.OutboundRequest{
		newRequest("POST", "https://track.customer.io/api/v2/batch",
			`{"batch":[{"type":"person","identifiers":{"id":"c1"},"action":"identify","timestamp":1754285445,"attributes":{"plan":"pro"}},{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"subscription_started"}]}`),
		newRequest("POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"payment_completed","data":{"amount":29.99}}`),
	} {
		prepare(t, req, creds)
		if ps := New().Validate(req, sc.Now); len(ps) != 0 || req.BodyReads() != 1 {
			t.Errorf("%s: the body was read %d times; problems:\n%s", req.URL, req.BodyReads(), describeProblems(ps))
		}
	}
}

func TestPaymentTemplateOutput(t *testing.T) {
	req, _ := runTemplate(t, templateByID(t, "payment-completed"), "payment.succeeded", templatetest.Sample("payment.succeeded", "jpy"))
	body := decode(t, req.Body)
	attrs := body["attributes"].(map[string]any)
	if body["action"] != "event" || body["name"] != "payment_completed" || body["id"] != key {
		t.Errorf("action %v, name %v, id %v", body["action"], body["name"], body["id"])
	}
	// 2025-08-04T05:30:45.182629Z
	if body["timestamp"] != float64(1754285445) {
		t.Errorf("timestamp = %v, want 1754285445", body["timestamp"])
	}
	if attrs["payment_amount"] != float64(400) || attrs["currency"] != "JPY" || attrs["payment_method"] != "unknown" {
		t.Errorf("attributes = %v", attrs)
	}
}

func TestIdentifyTemplateHasNoName(t *testing.T) {
	req, _ := runTemplate(t, templateByID(t, "customer-attributes"), "payment.succeeded", templatetest.Sample("payment.succeeded"))
	body := decode(t, req.Body)
	if _, ok := body["name"]; ok || body["action"] != "identify" {
		t.Errorf("body = %v", body)
	}
}

// The source documents' Customer.io handlers use actions the real API
// rejects; the test step must say so and suggest the valid form.
func TestDocTemplatesAreFlaggedWithTheFix(t *testing.T) {
	tests := []struct {
		template, eventType string
		wantFix             string
	}{
		{"docs-payment-tracking", "payment.succeeded", `use action: "event" with name: "payment_completed"`},
		{"docs-subscription-lifecycle", "subscription.active", `use action: "event" with name: "subscription_started"`},
		{"docs-subscription-lifecycle", "subscription.cancelled", `use action: "event" with name: "subscription_cancelled"`},
	}
	for _, tt := range tests {
		t.Run(tt.template+"/"+tt.eventType, func(t *testing.T) {
			req, changed := runTemplate(t, templateByID(t, tt.template), tt.eventType, templatetest.Sample(tt.eventType))
			if !changed {
				t.Fatal("handler did not handle its event")
			}
			ps := New().Validate(req, sc.Now)
			if len(ps) != 1 || ps[0].Field != "action" || ps[0].Fix != tt.wantFix || !strings.Contains(ps[0].Message, "400") {
				t.Errorf("problems:\n%s", describeProblems(ps))
			}
		})
	}
	t.Run("docs-customer-attributes", func(t *testing.T) {
		req, _ := runTemplate(t, templateByID(t, "docs-customer-attributes"), "payment.succeeded", templatetest.Sample("payment.succeeded"))
		ps := New().Validate(req, sc.Now)
		want := []string{"timestamp", "name", "attributes.customer_since", "attributes.last_payment_date", "attributes.total_spent"}
		if got := problemFields(ps); !slices.Equal(got, want) || len(hookbridge.Blocking(ps)) != 0 {
			t.Errorf("problems on %v, want warnings on %v:\n%s", got, want, describeProblems(ps))
		}
	})
}

// TestDocsPageExists: Info().Docs names the integration's page, relative
// to the repository.
func TestDocsPageExists(t *testing.T) {
	docs := New().Info().Docs
	if docs != "docs/integrations/"+ID+".md" {
		t.Errorf("Docs = %q", docs)
	}
	if _, err := os.Stat(filepath.Join("..", "..", docs)); err != nil {
		t.Errorf("the docs page is missing: %v", err)
	}
}

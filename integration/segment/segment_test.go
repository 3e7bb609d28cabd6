package segment

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
	if !slices.Equal(info.Hosts, []string{"api.segment.io", "events.eu1.segmentapis.com"}) || info.DefaultURL != "https://api.segment.io/v1/track" {
		t.Errorf("hosts %v, default URL %s", info.Hosts, info.DefaultURL)
	}
	if !strings.HasPrefix(info.Logo, "<svg") {
		t.Errorf("logo is not an SVG")
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
		{"write key, region defaults to us", hookbridge.Credentials{"write_key": "abc123"}, hookbridge.Credentials{"write_key": "abc123", "region": "us"}, nil},
		{"eu", hookbridge.Credentials{"write_key": "abc123", "region": "eu"}, hookbridge.Credentials{"write_key": "abc123", "region": "eu"}, nil},
		{"missing write key", hookbridge.Credentials{"region": "eu"}, nil, []string{"credentials.write_key"}},
		{"bad region", hookbridge.Credentials{"write_key": "abc123", "region": "EU1"}, nil, []string{"credentials.region"}},
		{"write key with a space", hookbridge.Credentials{"write_key": "abc 123"}, nil, []string{"credentials.write_key"}},
		{"unknown field", hookbridge.Credentials{"write_key": "abc123", "writeKey": "abc123"}, nil, []string{"credentials.writeKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hookbridge.CheckCredentials(info, tt.in)
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
			var verr *hookbridge.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			var fields []string
			for _, f := range verr.Fields {
				fields = append(fields, f.Field)
				if strings.Contains(f.Message, "abc") {
					t.Errorf("message reveals the write key: %s", f.Message)
				}
			}
			if !slices.Equal(fields, tt.badFields) {
				t.Errorf("fields = %v, want %v", fields, tt.badFields)
			}
		})
	}
}

var handlerFunc = regexp.MustCompile(`function\s*handler\s*\(`)

func TestTemplatesAreEmbedded(t *testing.T) {
	tpls := New().Info().Templates
	if len(tpls) != 6 {
		t.Fatalf("%d templates, want 3 improved and 3 from the documentation", len(tpls))
	}
	ids := map[string]bool{}
	for _, tpl := range tpls {
		if tpl.ID == "" || ids[tpl.ID] || tpl.Name == "" || tpl.Description == "" || len(tpl.EventTypes) == 0 {
			t.Errorf("template %q incomplete or duplicate", tpl.ID)
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

func runTemplate(t *testing.T, tpl hookbridge.Template, eventType string, payload []byte) (*hookbridge.OutboundRequest, bool) {
	t.Helper()
	return templatetest.RunPrepared(t, New(), tpl, eventType, payload, DefaultURL, creds, sc)
}

// Every template, the documentation's included, produces calls that Segment
// keeps, for each event type it lists, and leaves other events alone. The
// built-in templates draw no warning either; the documentation's draw
// warnings only (TestDocTemplatesWarnOfValuesFiledAsText).
func TestTemplatesPassValidate(t *testing.T) {
	for _, tpl := range New().Info().Templates {
		for _, eventType := range templatetest.SampleTypes() {
			req, changed := runTemplate(t, tpl, eventType, templatetest.Sample(eventType))
			if changed != slices.Contains(tpl.EventTypes, eventType) {
				t.Errorf("%s on %s: changed = %v, but its event types are %v", tpl.ID, eventType, changed, tpl.EventTypes)
			}
			if !changed {
				continue
			}
			ps := New().Validate(req, sc.Now)
			if tpl.FromDocs {
				ps = hookbridge.Blocking(ps)
			}
			if len(ps) > 0 {
				t.Errorf("%s on %s:\n%s%s", tpl.ID, eventType, describeProblems(ps), req.Body)
			}
		}
	}
}

// A delivery reads its body once: Prepare (the messageId), Validate and
// BatchItem share one reading, for every template's calls and for a batch
// whose items get their messageIds.
func TestPrepareValidateAndBatchItemReadTheBodyOnce(t *testing.T) {
	templatetest.EveryTemplateReadsOnce(t, New(), DefaultURL, creds, sc)
	req := prepare(t, newRequest("POST", "https://api.segment.io/v1/batch",
		`{"batch":[{"type":"track","userId":"u","event":"x"},{"type":"identify","userId":"u","messageId":"m1"}]}`), creds)
	if ps := New().Validate(req, sc.Now); len(ps) != 0 || req.BodyReads() != 1 {
		t.Errorf("batch: the body was read %d times; problems:\n%s", req.BodyReads(), describeProblems(ps))
	}
}

func TestPaymentTemplateUsesTheCurrencyExponent(t *testing.T) {
	req, _ := runTemplate(t, templateByID(t, "payment-events"), "payment.succeeded", templatetest.Sample("payment.succeeded", "jpy"))
	body := decode(t, req.Body)
	props := body["properties"].(map[string]any)
	if body["event"] != "Payment Completed" || props["amount"] != float64(400) || props["revenue"] != float64(400) || body["messageId"] != key {
		t.Errorf("body = %s", req.Body)
	}
	docs, _ := runTemplate(t, templateByID(t, "docs-payment-events"), "payment.succeeded", templatetest.Sample("payment.succeeded", "jpy"))
	if got := decode(t, docs.Body)["properties"].(map[string]any)["amount"]; got != "4.00" {
		t.Errorf("the documentation's handler gives amount %v for 400 JPY; the test expects its known mistake, 4.00", got)
	}
}

func TestSubscriptionTemplateNamesEachStep(t *testing.T) {
	want := map[string]string{
		"subscription.active": "Subscription Started", "subscription.renewed": "Subscription Renewed",
		"subscription.on_hold": "Subscription On Hold", "subscription.failed": "Subscription Failed",
		"subscription.expired": "Subscription Expired", "subscription.cancelled": "Subscription Cancelled",
	}
	for eventType, name := range want {
		req, _ := runTemplate(t, templateByID(t, "subscription-lifecycle"), eventType, templatetest.Sample(eventType))
		if got := decode(t, req.Body)["event"]; got != name {
			t.Errorf("%s: event %v, want %s", eventType, got, name)
		}
	}
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

package identifiers_test

import (
	"reflect"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/identifiers"
)

type id = identifiers.Identifier

func TestSent(t *testing.T) {
	tests := []struct {
		name, integration, url, body string
		want                         []id
	}{
		{"segment track", "segment", "https://api.segment.io/v1/track",
			`{"userId":"cus_1","event":"Order Completed","properties":{"customer_email":"a@b.c"}}`,
			[]id{{"userId", "cus_1"}}},
		{"segment anonymous", "segment", "https://api.segment.io/v1/track",
			`{"anonymousId":"anon-9","event":"x"}`, []id{{"anonymousId", "anon-9"}}},
		{"segment batch", "segment", "https://api.segment.io/v1/batch",
			`{"batch":[{"userId":"cus_1"},{"userId":"cus_2","anonymousId":"a"},{"userId":"cus_1"}]}`,
			[]id{{"userId", "cus_1"}, {"userId", "cus_2"}, {"anonymousId", "a"}}},
		{"segment without an id", "segment", "https://api.segment.io/v1/track", `{"event":"x"}`, []id{}},
		{"customer.io v2 entity", "customerio", "https://track.customer.io/api/v2/entity",
			`{"type":"person","action":"event","identifiers":{"id":"cus_1"},"name":"payment"}`,
			[]id{{"identifiers.id", "cus_1"}}},
		{"customer.io v2 by email", "customerio", "https://track-eu.customer.io/api/v2/entity",
			`{"type":"person","identifiers":{"email":"Jane@Example.com"}}`,
			[]id{{"identifiers.email", "Jane@Example.com"}}},
		{"customer.io v2 batch", "customerio", "https://track.customer.io/api/v2/batch",
			`{"batch":[{"identifiers":{"id":"c1"}},{"identifiers":{"cio_id":"f00"}}]}`,
			[]id{{"identifiers.id", "c1"}, {"identifiers.cio_id", "f00"}}},
		{"customer.io v1 event path", "customerio", "https://track.customer.io/api/v1/customers/cus%2F1/events",
			`{"name":"payment"}`, []id{{"path", "cus/1"}}},
		{"customer.io v1 identify path", "customerio", "https://track.customer.io/api/v1/customers/jane@example.com",
			`{"email":"jane@example.com"}`, []id{{"path", "jane@example.com"}}},
		{"mixpanel import", "mixpanel", "https://api.mixpanel.com/import?strict=1",
			`[{"event":"Payment","properties":{"distinct_id":"cus_1","time":1}},{"event":"Refund","properties":{"distinct_id":"cus_1"}}]`,
			[]id{{"properties.distinct_id", "cus_1"}}},
		{"mixpanel empty distinct_id", "mixpanel", "https://api-eu.mixpanel.com/import",
			`[{"event":"Dispute","properties":{"distinct_id":""}}]`, []id{}},
		{"mixpanel profile", "mixpanel", "https://api.mixpanel.com/engage",
			`{"$token":"********","$distinct_id":"cus_1","$set":{}}`, []id{{"$distinct_id", "cus_1"}}},
		{"amplitude", "amplitude", "https://api2.amplitude.com/2/httpapi",
			`{"api_key":"********","events":[{"user_id":"cus_1","event_type":"x"},{"device_id":"pay_1"}]}`,
			[]id{{"user_id", "cus_1"}, {"device_id", "pay_1"}}},
		{"posthog event", "posthog", "https://us.i.posthog.com/i/v0/e/",
			`{"api_key":"********","event":"payment","distinct_id":"cus_1","properties":{"$set":{"email":"a@b.c"}}}`,
			[]id{{"distinct_id", "cus_1"}}},
		{"posthog batch in properties", "posthog", "https://eu.i.posthog.com/batch/",
			`{"batch":[{"event":"x","properties":{"distinct_id":"cus_2"}}]}`,
			[]id{{"properties.distinct_id", "cus_2"}}},
		{"hubspot upsert by email", "hubspot", "https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert",
			`{"inputs":[{"idProperty":"email","id":"jane@example.com","properties":{"last_payment_status":"succeeded"}}]}`,
			[]id{{"email", "jane@example.com"}}},
		{"hubspot contact", "hubspot", "https://api.hubapi.com/crm/v3/objects/contacts",
			`{"properties":{"email":"jane@example.com","firstname":"Jane"}}`,
			[]id{{"properties.email", "jane@example.com"}}},
		{"a number is its text", "amplitude", "https://api2.amplitude.com/2/httpapi",
			`{"events":[{"user_id":12345678901234567890}]}`, []id{{"user_id", "12345678901234567890"}}},
		{"a plain webhook has none", "webhook", "https://example.com/hooks",
			`{"data":{"customer":{"customer_id":"cus_1"}},"userId":"cus_1"}`, []id{}},
		{"a body cut short has none", "segment", "https://api.segment.io/v1/track", `{"userId":"cus_1","proper`, []id{}},
		{"a deleted endpoint's tool from the host", "", "https://api.segment.io/v1/identify", `{"userId":"cus_1"}`,
			[]id{{"userId", "cus_1"}}},
		{"an unknown host with no integration", "", "https://segment.io.example.com/v1/track", `{"userId":"cus_1"}`, []id{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := identifiers.Sent(tt.integration, hookbridge.RecordedRequest{Method: "POST", URL: tt.url, Body: tt.body})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sent = %v, want %v", got, tt.want)
			}
		})
	}
}

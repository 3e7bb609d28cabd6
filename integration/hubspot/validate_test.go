package hubspot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/hubspot"
)

var validateNow = time.Date(2025, 8, 4, 6, 0, 0, 0, time.UTC)

const (
	upsertURL = "https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert"
	eventURL  = "https://api.hubapi.com/events/v3/send"
	taskURL   = "https://api.hubapi.com/crm/v3/objects/tasks"

	validInput = `{"idProperty":"email","id":"jane@example.com","properties":{"last_payment_amount":32.65}}`
	validEvent = `{"eventName":"pe7654321_payment_succeeded","email":"jane@example.com","occurredAt":"2025-08-04T05:30:45Z","properties":{"amount":32.65,"currency":"USD"}}`
	validTask  = `{"properties":{"hs_timestamp":"2025-08-04T05:30:45Z","hs_task_subject":"Dispute","hs_task_status":"NOT_STARTED","hs_task_priority":"HIGH","hs_task_type":"TODO"}}`
)

func upsertOf(inputs ...string) string { return `{"inputs":[` + strings.Join(inputs, ",") + `]}` }

func TestValidRequestsHaveNoProblems(t *testing.T) {
	for url, body := range map[string]string{
		upsertURL: upsertOf(validInput),
		"https://api.hubapi.com/crm/objects/2026-03/contacts/batch/upsert": upsertOf(validInput),
		eventURL: validEvent,
		taskURL:  validTask,
	} {
		if ps := hubspot.New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(body)}, validateNow); len(ps) != 0 {
			t.Errorf("%s: %+v", url, ps)
		}
	}
}

// Each rule on its own: the request differs from a valid one in one way,
// and the validator names that field.
func TestEachRule(t *testing.T) {
	many := make([]string, 101)
	for i := range many {
		many[i] = strings.Replace(validInput, "jane@", fmt.Sprintf("c%d@", i), 1)
	}
	manyProps := map[string]any{}
	for i := range 51 {
		manyProps[fmt.Sprintf("p%d", i)] = 1
	}
	cases := []struct {
		name, method, url, body, field string
		warning                        bool
	}{
		{"unchecked path", "POST", "https://api.hubapi.com/crm/v3/objects/deals", `{}`, "url", true},
		{"not POST", "PUT", upsertURL, upsertOf(validInput), "method", false},
		{"not JSON", "POST", upsertURL, `inputs=1`, "body", false},
		{"no inputs", "POST", upsertURL, `{"inputs":[]}`, "inputs", false},
		{"over 100 inputs", "POST", upsertURL, upsertOf(many...), "inputs", false},
		{"input not an object", "POST", upsertURL, `{"inputs":[1]}`, "inputs[0]", false},
		{"no idProperty", "POST", upsertURL, upsertOf(strings.Replace(validInput, `"idProperty":"email",`, "", 1)), "inputs[0].idProperty", false},
		{"other idProperty", "POST", upsertURL, upsertOf(strings.Replace(validInput, `"idProperty":"email"`, `"idProperty":"customer_ref"`, 1)), "inputs[0].idProperty", true},
		{"id not an email", "POST", upsertURL, upsertOf(strings.Replace(validInput, "jane@example.com", "cus_1", 1)), "inputs[0].id", false},
		{"same contact twice", "POST", upsertURL, upsertOf(validInput, strings.Replace(validInput, "jane@", "JANE@", 1)), "inputs[1].id", false},
		{"no properties", "POST", upsertURL, upsertOf(`{"idProperty":"email","id":"jane@example.com"}`), "inputs[0].properties", false},
		{"property name not internal", "POST", upsertURL, upsertOf(strings.Replace(validInput, "last_payment_amount", "Last Payment", 1)), "inputs[0].properties.Last Payment", false},
		{"read-only property", "POST", upsertURL, upsertOf(strings.Replace(validInput, "last_payment_amount", "hs_object_id", 1)), "inputs[0].properties.hs_object_id", false},
		{"object value", "POST", upsertURL, upsertOf(strings.Replace(validInput, "32.65", `{"v":1}`, 1)), "inputs[0].properties.last_payment_amount", false},
		{"value too long", "POST", upsertURL, upsertOf(strings.Replace(validInput, "32.65", `"`+strings.Repeat("a", 65537)+`"`, 1)), "inputs[0].properties.last_payment_amount", false},
		{"event name not qualified", "POST", eventURL, strings.Replace(validEvent, "pe7654321_payment_succeeded", "payment_succeeded", 1), "eventName", false},
		{"example Hub ID", "POST", eventURL, strings.Replace(validEvent, "7654321", "1234567", 1), "eventName", true},
		{"no contact", "POST", eventURL, strings.Replace(validEvent, `"email":"jane@example.com",`, "", 1), "email", false},
		{"no occurredAt", "POST", eventURL, strings.Replace(validEvent, `"occurredAt":"2025-08-04T05:30:45Z",`, "", 1), "occurredAt", true},
		{"occurredAt not ISO", "POST", eventURL, strings.Replace(validEvent, "2025-08-04T05:30:45Z", "today", 1), "occurredAt", false},
		{"occurredAt in the future", "POST", eventURL, strings.Replace(validEvent, "2025-08-04T05:30:45Z", "2025-08-05T05:30:45Z", 1), "occurredAt", true},
		{"event properties not an object", "POST", eventURL, strings.Replace(validEvent, `{"amount":32.65,"currency":"USD"}`, `[1]`, 1), "properties", false},
		{"event property name", "POST", eventURL, strings.Replace(validEvent, `"currency"`, `"Currency"`, 1), "properties.Currency", false},
		{"event value over 50", "POST", eventURL, strings.Replace(validEvent, `"USD"`, `"`+strings.Repeat("u", 51)+`"`, 1), "properties.currency", false},
		{"event value object", "POST", eventURL, strings.Replace(validEvent, `"USD"`, `{"a":1}`, 1), "properties.currency", false},
		{"task without properties", "POST", taskURL, `{}`, "properties", false},
		{"task without hs_timestamp", "POST", taskURL, strings.Replace(validTask, `"hs_timestamp":"2025-08-04T05:30:45Z",`, "", 1), "properties.hs_timestamp", false},
		{"task status", "POST", taskURL, strings.Replace(validTask, "NOT_STARTED", "OPEN", 1), "properties.hs_task_status", false},
		{"task priority", "POST", taskURL, strings.Replace(validTask, `"HIGH"`, `"URGENT"`, 1), "properties.hs_task_priority", false},
		{"task type", "POST", taskURL, strings.Replace(validTask, "TODO", "MEETING", 1), "properties.hs_task_type", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := hubspot.New().Validate(&hookbridge.OutboundRequest{Method: tc.method, URL: tc.url, Body: []byte(tc.body)}, validateNow)
			if len(ps) != 1 {
				t.Fatalf("want one problem on %q, got %+v", tc.field, ps)
			}
			if p := ps[0]; p.Field != tc.field || p.Warning != tc.warning || p.Fix == "" {
				t.Errorf("got %+v, want field %q warning %v with a fix", p, tc.field, tc.warning)
			}
		})
	}
	// More than 50 event properties, on its own.
	body := `{"eventName":"pe7654321_x","email":"jane@example.com","occurredAt":"2025-08-04T05:30:45Z","properties":{`
	var parts []string
	for name := range manyProps {
		parts = append(parts, `"`+name+`":1`)
	}
	body += strings.Join(parts, ",") + `}}`
	ps := hubspot.New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: eventURL, Body: []byte(body)}, validateNow)
	if len(ps) != 1 || ps[0].Field != "properties" {
		t.Errorf("51 event properties: %+v", ps)
	}
}

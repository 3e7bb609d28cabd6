package hubspottest

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// PropertyType is a HubSpot property's field type, as far as the fake
// checks values.
type PropertyType int

const (
	// Text takes any text, number or boolean.
	Text PropertyType = iota
	// Number takes a number or text holding one.
	Number
	// DateTime takes an ISO 8601 time or milliseconds since 1970.
	DateTime
	// Enumeration takes one of the property's options.
	Enumeration
	// ReadOnly is set by HubSpot alone.
	ReadOnly
)

// Property is a property definition of the fake account.
type Property struct {
	Name    string
	Type    PropertyType
	Options []string // Enumeration's
}

// DefaultContactProperties are HubSpot's own contact properties that the
// fake knows, and the ones the hubspot templates ask users to create.
func DefaultContactProperties() []Property {
	text := func(names ...string) []Property {
		var out []Property
		for _, n := range names {
			out = append(out, Property{Name: n, Type: Text})
		}
		return out
	}
	props := text("email", "firstname", "lastname", "phone", "company", "website", "jobtitle", "city", "country",
		"last_payment_currency", "last_payment_id", "subscription_id", "subscription_product_id", "subscription_currency")
	return append(props,
		Property{Name: "hs_object_id", Type: ReadOnly},
		Property{Name: "createdate", Type: ReadOnly},
		Property{Name: "lastmodifieddate", Type: ReadOnly},
		Property{Name: "lifecyclestage", Type: Enumeration, Options: []string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"}},
		Property{Name: "last_payment_amount", Type: Number},
		Property{Name: "last_payment_date", Type: DateTime},
		Property{Name: "last_payment_status", Type: Enumeration, Options: []string{"succeeded", "failed"}},
		Property{Name: "last_refund_amount", Type: Number},
		Property{Name: "last_refund_date", Type: DateTime},
		Property{Name: "subscription_status", Type: Enumeration, Options: []string{"pending", "active", "on_hold", "paused", "cancelled", "failed", "expired"}},
		Property{Name: "subscription_amount", Type: Number},
		Property{Name: "subscription_next_billing_date", Type: DateTime},
	)
}

// taskProperties are the task properties the fake knows.
func taskProperties() []Property {
	return []Property{
		{Name: "hs_timestamp", Type: DateTime},
		{Name: "hs_task_subject", Type: Text},
		{Name: "hs_task_body", Type: Text},
		{Name: "hubspot_owner_id", Type: Text},
		{Name: "hs_task_reminders", Type: Text},
		{Name: "hs_task_status", Type: Enumeration, Options: []string{"NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"}},
		{Name: "hs_task_priority", Type: Enumeration, Options: []string{"LOW", "MEDIUM", "HIGH", "NONE"}},
		{Name: "hs_task_type", Type: Enumeration, Options: []string{"TODO", "EMAIL", "CALL", "LINKED_IN", "LINKED_IN_CONNECT", "LINKED_IN_MESSAGE"}},
	}
}

// EventDefinition is a custom event of the fake account: its fully
// qualified name and the properties it takes.
type EventDefinition struct {
	Name       string
	Properties []string
}

// DefaultEvents are the custom events the hubspot template sends, defined
// in the fake's account (Hub ID PortalID).
func DefaultEvents() []EventDefinition {
	props := []string{"amount", "currency", "payment_id", "refund_id", "reason"}
	var out []EventDefinition
	for _, n := range []string{"payment_succeeded", "payment_failed", "refund_succeeded", "refund_failed"} {
		out = append(out, EventDefinition{Name: "pe" + PortalID + "_" + n, Properties: props})
	}
	return out
}

// valueError says why a property cannot take v, as HubSpot's error code
// and message; "" if it can.
func (p Property) valueError(v any) (code, msg string) {
	switch v.(type) {
	case nil, map[string]any, []any:
		return "INVALID_" + typeName(p.Type), fmt.Sprintf("%v is not a valid value for %s", v, p.Name)
	}
	s := fmt.Sprint(v)
	switch p.Type {
	case ReadOnly:
		return "READ_ONLY_VALUE", fmt.Sprintf("Property \"%s\" is a read only property; its value cannot be set.", p.Name)
	case Number:
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "INVALID_FLOAT", fmt.Sprintf("%q is not a valid number for %s", s, p.Name)
		}
	case DateTime:
		if !isTime(v) {
			return "INVALID_DATE", fmt.Sprintf("%q is not a valid date and time for %s", s, p.Name)
		}
	case Enumeration:
		if !slices.Contains(p.Options, s) {
			return "INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options: %v", s, p.Options)
		}
	}
	return "", ""
}

func isTime(v any) bool {
	switch t := v.(type) {
	case float64:
		return t >= 0
	case string:
		if _, err := time.Parse(time.RFC3339Nano, t); err == nil {
			return true
		}
		_, err := strconv.ParseInt(t, 10, 64)
		return err == nil
	}
	return false
}

func typeName(t PropertyType) string {
	switch t {
	case Number:
		return "FLOAT"
	case DateTime:
		return "DATE"
	case Enumeration:
		return "OPTION"
	}
	return "VALUE"
}

package hubspot

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// HubSpot's documented limits.
const (
	// maxEventProperties is the most properties one custom event carries.
	maxEventProperties = 50
	// maxEventPropertyName bounds an event property's internal name.
	maxEventPropertyName = 50
	// maxEventValue bounds an event property's value, but for the URL and
	// referrer ones (maxEventURLValue).
	maxEventValue    = 50
	maxEventURLValue = 200
	// maxPropertyValue bounds a CRM text property's value.
	maxPropertyValue = 65536
)

// exampleHubID is the Hub ID in the custom event template's names, which
// users replace with their own.
const exampleHubID = "1234567"

var (
	// propertyName is an internal property name: lower-case letters,
	// digits and underscores, starting with a letter.
	propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// eventName is a custom event's fully qualified name, pe{HubID}_{name}.
	eventName = regexp.MustCompile(`^pe(\d+)_[a-z0-9_]+$`)
	// email is what HubSpot takes as an email address, loosely.
	email = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// readOnlyContactProperties are set by HubSpot alone; an upsert that sets
// them is refused.
var readOnlyContactProperties = map[string]bool{
	"hs_object_id": true, "createdate": true, "lastmodifieddate": true, "hs_createdate": true,
}

// taskStatuses and taskPriorities are the values HubSpot's task properties
// take.
var (
	taskStatuses   = []string{"NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"}
	taskPriorities = []string{"LOW", "MEDIUM", "HIGH", "NONE"}
	taskTypes      = []string{"TODO", "EMAIL", "CALL", "LINKED_IN", "LINKED_IN_CONNECT", "LINKED_IN_MESSAGE"}

	taskChoices = []struct {
		property string
		values   []string
	}{
		{"hs_task_status", taskStatuses}, {"hs_task_priority", taskPriorities}, {"hs_task_type", taskTypes},
	}
)

// validate lists what HubSpot would refuse in a request on its host. Paths
// hookbridge does not know are sent unchecked, with a warning.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	ep := endpointOf(outbound.Path(req))
	if ep == endpointOther {
		return []hookbridge.Problem{kit.Warning("url",
			fmt.Sprintf("hookbridge does not check %s; it checks contact upserts, custom events and tasks", outbound.Path(req)),
			"use /crm/v3/objects/contacts/batch/upsert, /events/v3/send or /crm/v3/objects/tasks to have requests checked before they are sent")}
	}
	if req.Method != http.MethodPost {
		return []hookbridge.Problem{kit.Problem("method", "this HubSpot endpoint takes POST", "set webhook.method to POST")}
	}
	body, err := req.Object()
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", "the body is not a JSON object; HubSpot answers 400", "return webhook.payload as an object")}
	}
	switch ep {
	case endpointContactsUpsert:
		return checkUpsert(body)
	case endpointEventSend:
		return checkEvent(body, now)
	default:
		return checkTask(body)
	}
}

// checkUpsert checks a contacts batch upsert: 1 to 100 inputs, each a
// contact named by email, none named twice.
func checkUpsert(body map[string]any) []hookbridge.Problem {
	inputs, ok := body["inputs"].([]any)
	switch {
	case !ok || len(inputs) == 0:
		return []hookbridge.Problem{kit.Problem("inputs", "a batch upsert needs a non-empty inputs list; HubSpot answers 400",
			`send {"inputs": [{"idProperty": "email", "id": "…", "properties": {…}}]}`)}
	case len(inputs) > maxBatchInputs:
		return []hookbridge.Problem{kit.Problem("inputs", fmt.Sprintf("%d inputs; HubSpot takes at most %d per batch (400)", len(inputs), maxBatchInputs),
			"send at most 100 contacts per request")}
	}
	var ps []hookbridge.Problem
	seen := map[string]bool{}
	for i, item := range inputs {
		prefix := "inputs[" + strconv.Itoa(i) + "]"
		input, ok := item.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(prefix, "an input is not an object", `make each input {"idProperty": "email", "id": …, "properties": {…}}`))
			continue
		}
		ps = append(ps, checkUpsertInput(prefix, input)...)
		id, _ := input["id"].(string)
		if key := strings.ToLower(strings.TrimSpace(id)); key != "" && seen[key] {
			ps = append(ps, kit.Problem(prefix+".id", fmt.Sprintf("%s is in the batch twice; HubSpot refuses the batch (Duplicate IDs found in batch input)", id),
				"merge the two inputs into one"))
		} else {
			seen[key] = true
		}
	}
	return ps
}

// checkUpsertInput checks one contact: idProperty email, a valid address
// as id, and properties HubSpot can set.
func checkUpsertInput(prefix string, input map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	idProperty, _ := input["idProperty"].(string)
	id, _ := input["id"].(string)
	switch {
	case idProperty == "":
		ps = append(ps, kit.Problem(prefix+".idProperty", "without idProperty HubSpot reads id as a record id, not an email: the upsert fails or updates another contact",
			`set "idProperty": "email"`))
	case idProperty != "email":
		ps = append(ps, kit.Warning(prefix+".idProperty", fmt.Sprintf("idProperty %q must be a unique-value contact property; hookbridge checks only email", idProperty),
			`use "idProperty": "email" unless the account has that unique property`))
	}
	if idProperty == "email" && !email.MatchString(strings.TrimSpace(id)) {
		ps = append(ps, kit.Problem(prefix+".id", fmt.Sprintf("%q is not an email address; HubSpot refuses the input", id),
			"set id to the customer's email (data.customer.email)"))
	}
	props, ok := input["properties"].(map[string]any)
	if !ok {
		return append(ps, kit.Problem(prefix+".properties", "an input needs a properties object", "add the contact properties to set"))
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		ps = append(ps, checkContactProperty(prefix+".properties."+name, name, props[name])...)
	}
	return ps
}

// checkContactProperty checks one contact property and its value.
func checkContactProperty(field, name string, value any) []hookbridge.Problem {
	switch {
	case !propertyName.MatchString(name):
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("%q is not a HubSpot internal property name (lower-case letters, digits, underscores)", name),
			"use the property's internal name from Settings → Properties, such as last_payment_amount")}
	case readOnlyContactProperties[name]:
		return []hookbridge.Problem{kit.Problem(field, name+" is set by HubSpot alone; the upsert is refused (READ_ONLY_VALUE)", "leave "+name+" out")}
	}
	switch v := value.(type) {
	case map[string]any, []any:
		return []hookbridge.Problem{kit.Problem(field, "a property value must be text, a number or a boolean; HubSpot refuses objects and lists",
			"send one value, or several joined with ; for a multiple-checkbox property")}
	case string:
		if len(v) > maxPropertyValue {
			return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("the value is %d characters; HubSpot takes at most %d", len(v), maxPropertyValue), "shorten it")}
		}
	}
	return nil
}

// checkEvent checks a custom event: a fully qualified name, a contact to
// attach it to, its time, and the documented property limits.
func checkEvent(body map[string]any, now time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	name, _ := body["eventName"].(string)
	if m := eventName.FindStringSubmatch(name); m == nil {
		ps = append(ps, kit.Problem("eventName", fmt.Sprintf("eventName %q is not a fully qualified event name (pe{HubID}_{name}); HubSpot answers 400", name),
			"copy the event's fully qualified name from Data Management → Custom Events, such as pe1234567_payment_succeeded"))
	} else if m[1] == exampleHubID {
		ps = append(ps, kit.Warning("eventName", eventNamePlaceholder(name),
			"replace 1234567 in the template's EVENT_NAMES with your Hub ID (Account menu → Hub ID)"))
	}
	if !hasString(body, "email") && !hasString(body, "utk") && !hasString(body, "objectId") {
		ps = append(ps, kit.Problem("email", "the event names no contact (email, utk or objectId); HubSpot answers 400",
			"set email to the customer's email (data.customer.email)"))
	}
	ps = append(ps, checkOccurredAt(body, now)...)
	if v, ok := body["properties"]; ok {
		props, isObject := v.(map[string]any)
		if !isObject {
			return append(ps, kit.Problem("properties", "properties is not an object", "make properties an object of names and values"))
		}
		ps = append(ps, checkEventProperties(props)...)
	}
	return ps
}

func eventNamePlaceholder(name string) string {
	return fmt.Sprintf("%s uses the template's example Hub ID %s: HubSpot refuses it unless that is your account", name, exampleHubID)
}

func checkOccurredAt(body map[string]any, now time.Time) []hookbridge.Problem {
	v, ok := body["occurredAt"]
	if !ok {
		return []hookbridge.Problem{kit.Warning("occurredAt", "without occurredAt HubSpot records the event at the time it arrives, not when it happened",
			"set occurredAt to the event's timestamp")}
	}
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	switch {
	case err != nil:
		return []hookbridge.Problem{kit.Problem("occurredAt", fmt.Sprintf("occurredAt %v is not an ISO 8601 time; HubSpot answers 400", kit.Shown(v)),
			"pass the event's timestamp as it comes")}
	case at.After(now.Add(time.Hour)):
		return []hookbridge.Problem{kit.Warning("occurredAt", "occurredAt is in the future", "pass the event's own timestamp")}
	}
	return nil
}

// checkEventProperties applies the custom events' property limits.
func checkEventProperties(props map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(props) > maxEventProperties {
		ps = append(ps, kit.Problem("properties", fmt.Sprintf("%d properties; a custom event carries at most %d (400)", len(props), maxEventProperties),
			"send the properties that matter"))
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		field := "properties." + name
		if !propertyName.MatchString(name) || len(name) > maxEventPropertyName {
			ps = append(ps, kit.Problem(field, fmt.Sprintf("%q is not an event property name (lower-case letters, digits, underscores, at most 50)", name),
				"use the internal name of a property of the event definition"))
			continue
		}
		limit := maxEventValue
		if name == "hs_url" || name == "hs_referrer" {
			limit = maxEventURLValue
		}
		switch v := props[name].(type) {
		case string:
			if len([]rune(v)) > limit {
				ps = append(ps, kit.Problem(field, fmt.Sprintf("the value is %d characters; a custom event property takes at most %d (400)", len([]rune(v)), limit),
					fmt.Sprintf("shorten it, e.g. value.slice(0, %d)", limit)))
			}
		case map[string]any, []any:
			ps = append(ps, kit.Problem(field, "an event property value must be text, a number or a boolean", "send one value"))
		}
	}
	return ps
}

// checkTask checks a task: its due time (hs_timestamp, required) and the
// values of status, priority and type.
func checkTask(body map[string]any) []hookbridge.Problem {
	props, ok := body["properties"].(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem("properties", "a task needs a properties object; HubSpot answers 400",
			`send {"properties": {"hs_timestamp": …, "hs_task_subject": …}}`)}
	}
	var ps []hookbridge.Problem
	if !hasString(props, "hs_timestamp") {
		if _, isNumber := props["hs_timestamp"].(json.Number); !isNumber {
			ps = append(ps, kit.Problem("properties.hs_timestamp", "a task needs hs_timestamp, its due time; HubSpot answers 400",
				"set hs_timestamp to an ISO 8601 time or milliseconds since 1970"))
		}
	}
	for _, choice := range taskChoices {
		name, allowed := choice.property, choice.values
		if v, ok := props[name]; ok {
			if s, _ := v.(string); !slices.Contains(allowed, s) {
				ps = append(ps, kit.Problem("properties."+name, fmt.Sprintf("%v is not one of %s; HubSpot answers 400 (INVALID_OPTION)", kit.Shown(v), strings.Join(allowed, ", ")),
					"use one of "+strings.Join(allowed, ", ")))
			}
		}
	}
	return ps
}

func hasString(obj map[string]any, name string) bool {
	s, _ := obj[name].(string)
	return strings.TrimSpace(s) != ""
}

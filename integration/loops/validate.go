package loops

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/mailaddr"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// placeholderPrefix starts the templates' transactional ids until the
// user sets them.
const placeholderPrefix = "REPLACE_WITH_"

// validate lists what Loops would reject in a request on its host.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if k := req.Header("Idempotency-Key"); len(k) > maxIdempotencyKey {
		ps = append(ps, kit.Problem("headers", fmt.Sprintf("Idempotency-Key has %d characters; Loops takes at most %d", len(k), maxIdempotencyKey),
			"leave Idempotency-Key unset: hookbridge sends the delivery's own key"))
	}
	path := outbound.TrimmedPath(req)
	var check func(map[string]any) []hookbridge.Problem
	method := http.MethodPost
	switch path {
	case PathTransactional:
		check = transactionalProblems
	case PathEvents:
		check = eventProblems
	case PathContactUpdate:
		check, method = contactProblems, http.MethodPut
	default:
		return append(ps, kit.Warning("url", "hookbridge checks only "+PathTransactional+", "+PathEvents+" and "+PathContactUpdate+" on Loops, not "+path,
			"send transactional emails to https://"+Host+PathTransactional))
	}
	if req.Method != "" && req.Method != method {
		ps = append(ps, kit.Problem("method", fmt.Sprintf("Loops takes %s on %s, not %s", method, path, req.Method), fmt.Sprintf("set webhook.method to %q", method)))
	}
	body, err := req.Object()
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON object", "set webhook.payload to an object"))
	}
	return append(ps, check(body)...)
}

func transactionalProblems(body map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	id, _ := body["transactionalId"].(string)
	switch {
	case id == "":
		ps = append(ps, kit.Problem("transactionalId", "transactionalId is required: the ID of a published transactional email",
			"copy the ID from Loops → Transactional → your email → Publish, into the template's TRANSACTIONAL_ID"))
	case strings.HasPrefix(id, placeholderPrefix):
		ps = append(ps, kit.Warning("transactionalId", "transactionalId is still the template's placeholder "+id,
			"publish the email in Loops and copy its ID into TRANSACTIONAL_ID at the top of the template"))
	}
	ps = append(ps, requiredAddressProblems(body["email"])...)
	if v, ok := body["addToAudience"]; ok {
		if _, isBool := v.(bool); !isBool {
			ps = append(ps, kit.Problem("addToAudience", "addToAudience must be true or false", "write it as addToAudience: false"))
		}
	}
	return append(ps, dataVariableProblems(body["dataVariables"])...)
}

// dataVariableProblems checks dataVariables: an object whose values are
// strings or numbers, or arrays of objects for Loops' array variables.
func dataVariableProblems(v any) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	vars, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem("dataVariables", "dataVariables must be an object", "write it as {amount: \"USD 32.65\"}")}
	}
	var ps []hookbridge.Problem
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		switch x := vars[name].(type) {
		case string, json.Number:
		case []any:
			if !allObjects(x) {
				ps = append(ps, kit.Problem("dataVariables."+name, "an array data variable holds objects only", "make each item an object, such as {name: \"Pro plan\"}"))
			}
		default:
			ps = append(ps, kit.Problem("dataVariables."+name, fmt.Sprintf("data variable %s is %s; Loops takes strings and numbers", name, jsonbody.Kind(x)),
				"turn it into a string (String(value), or \"\" when there is none)"))
		}
	}
	return ps
}

func eventProblems(body map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	name, _ := body["eventName"].(string)
	switch {
	case strings.TrimSpace(name) == "":
		ps = append(ps, kit.Problem("eventName", "eventName is required", "set eventName, such as \"subscriptionActive\""))
	case strings.Contains(name, ":"):
		ps = append(ps, kit.Problem("eventName", "an event name may not contain a colon", "drop the colon from "+name))
	}
	ps = append(ps, identityProblems(body)...)
	ps = append(ps, resubscribeWarning(body)...)
	if v, ok := body["eventProperties"]; ok {
		ps = append(ps, flatProblems("eventProperties", v, false)...)
	}
	return append(ps, mailingListProblems(body["mailingLists"])...)
}

func contactProblems(body map[string]any) []hookbridge.Problem {
	ps := append(identityProblems(body), resubscribeWarning(body)...)
	for _, name := range slices.Sorted(maps.Keys(body)) {
		switch name {
		case "email", "userId", "mailingLists":
			continue
		}
		ps = append(ps, flatValueProblems(name, body[name], true)...)
	}
	return append(ps, mailingListProblems(body["mailingLists"])...)
}

// resubscribeWarning warns of subscribed: true, which subscribes again a
// contact who unsubscribed.
func resubscribeWarning(body map[string]any) []hookbridge.Problem {
	if body["subscribed"] == true {
		return []hookbridge.Problem{kit.Warning("subscribed", "subscribed: true subscribes again contacts who unsubscribed from your emails",
			"leave subscribed out unless the customer asked to subscribe")}
	}
	return nil
}

// identityProblems requires email or userId, and a valid email when set.
func identityProblems(body map[string]any) []hookbridge.Problem {
	email, hasEmail := body["email"]
	userID, _ := body["userId"].(string)
	if !hasEmail && userID == "" {
		return []hookbridge.Problem{kit.Problem("email", "email or userId is required to find the contact", "set email to webhook.payload.data.customer.email")}
	}
	if hasEmail {
		return requiredAddressProblems(email)
	}
	return nil
}

func requiredAddressProblems(v any) []hookbridge.Problem {
	s, _ := v.(string)
	if s == "" {
		return []hookbridge.Problem{kit.Problem("email", "email is required: the recipient's address", "set email to webhook.payload.data.customer.email")}
	}
	if !mailaddr.Valid(s) {
		return []hookbridge.Problem{kit.Problem("email", fmt.Sprintf("%q is not a bare email address", s), "give the address alone, without a name or angle brackets")}
	}
	return nil
}

// flatProblems checks an object of properties whose values are strings,
// numbers or booleans (null too when allowNull: it clears a contact
// property).
func flatProblems(field string, v any, allowNull bool) []hookbridge.Problem {
	obj, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(field, field+" must be an object", "write it as {plan: \"pro\"}")}
	}
	var ps []hookbridge.Problem
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		ps = append(ps, flatValueProblems(field+"."+name, obj[name], allowNull)...)
	}
	return ps
}

func flatValueProblems(field string, v any, allowNull bool) []hookbridge.Problem {
	switch v.(type) {
	case string, json.Number, bool:
		return nil
	case nil:
		if allowNull {
			return nil
		}
	}
	return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("%s is %s; Loops takes strings, numbers, booleans and dates", field, jsonbody.Kind(v)),
		"flatten it into separate properties, or turn it into a string")}
}

func mailingListProblems(v any) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	lists, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem("mailingLists", "mailingLists must be an object of list IDs to true or false", "write it as {\"<list id>\": true}")}
	}
	for _, id := range slices.Sorted(maps.Keys(lists)) {
		if _, ok := lists[id].(bool); !ok {
			return []hookbridge.Problem{kit.Problem("mailingLists."+id, "a mailing list subscription is true or false", "write it as {\"<list id>\": true}")}
		}
	}
	return nil
}

func allObjects(list []any) bool {
	for _, item := range list {
		if _, ok := item.(map[string]any); !ok {
			return false
		}
	}
	return true
}

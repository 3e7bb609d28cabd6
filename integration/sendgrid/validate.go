package sendgrid

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/mailaddr"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

const pathMailSend = "/v3/mail/send"

// SendGrid's documented Mail Send limits.
const (
	maxPersonalizations = 1000
	maxRecipients       = 1000 // to + cc + bcc over the whole request
	maxCategories       = 10
	maxCategoryLength   = 255
)

// The template ids SendGrid takes: a Dynamic Template's ("d-" and 32 hex
// digits), or a legacy template's (a UUID).
var (
	dynamicTemplateID = regexp.MustCompile(`^d-[0-9a-f]{32}$`)
	legacyTemplateID  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// placeholderTemplateID is the dynamic template receipt's TEMPLATE_ID
// until the user sets it.
const placeholderTemplateID = "d-00000000000000000000000000000000"

const exampleDomain = "example.com"

// validate lists what Mail Send would reject in a request on SendGrid's
// hosts.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	if path := outbound.TrimmedPath(req); path != pathMailSend {
		return []hookbridge.Problem{kit.Warning("url", "hookbridge checks only "+pathMailSend+" on SendGrid, not "+path,
			"send emails to https://"+HostGlobal+pathMailSend)}
	}
	var ps []hookbridge.Problem
	if req.Method != "" && req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "Mail Send takes POST, not "+req.Method, "set webhook.method to \"POST\" or leave it unset"))
	}
	mail, err := req.Object()
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON object", "set webhook.payload to {personalizations, from, subject, content}"))
	}
	ps = append(ps, personalizationProblems(mail["personalizations"])...)
	ps = append(ps, senderProblems("from", mail["from"], true)...)
	if v, ok := mail["reply_to"]; ok {
		ps = append(ps, senderProblems("reply_to", v, false)...)
	}
	ps = append(ps, templateProblems(mail)...)
	return append(ps, categoryProblems(mail["categories"])...)
}

func personalizationProblems(v any) []hookbridge.Problem {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return []hookbridge.Problem{kit.Problem("personalizations", "personalizations is required: an array with at least one {to: [{email}]}",
			"set personalizations to [{to: [{email: webhook.payload.data.customer.email}]}]")}
	}
	var ps []hookbridge.Problem
	if len(list) > maxPersonalizations {
		ps = append(ps, kit.Problem("personalizations", fmt.Sprintf("%d personalizations; SendGrid takes at most %d per request", len(list), maxPersonalizations),
			"send the others in further requests"))
	}
	total := 0
	for i, item := range list {
		field := fmt.Sprintf("personalizations[%d]", i)
		p, ok := item.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(field, "a personalization must be an object {to: [{email}]}", "write it as {to: [{email: \"jane@example.com\"}]}"))
			continue
		}
		if p["to"] == nil {
			ps = append(ps, kit.Problem(field+".to", "each personalization needs to: at least one recipient", "set to to [{email: …}]"))
		}
		seen := map[string]bool{}
		for _, kind := range []string{"to", "cc", "bcc"} {
			n, more := recipientProblems(field+"."+kind, p[kind], seen)
			total += n
			ps = append(ps, more...)
		}
	}
	if total > maxRecipients && len(list) <= maxPersonalizations {
		ps = append(ps, kit.Problem("personalizations", fmt.Sprintf("%d recipients (to + cc + bcc); SendGrid takes at most %d per request", total, maxRecipients),
			"send the others in further requests"))
	}
	return ps
}

// recipientProblems checks one of a personalization's address lists and
// counts its addresses; seen holds the personalization's addresses so
// far, which SendGrid refuses to repeat.
func recipientProblems(field string, v any, seen map[string]bool) (int, []hookbridge.Problem) {
	if v == nil {
		return 0, nil
	}
	list, ok := v.([]any)
	if !ok {
		return 0, []hookbridge.Problem{kit.Problem(field, field+" must be an array of {email, name} objects, not a string",
			"write it as [{email: \"jane@example.com\"}]")}
	}
	if len(list) == 0 && strings.HasSuffix(field, ".to") {
		return 0, []hookbridge.Problem{kit.Problem(field, field+" is empty", "give at least one recipient")}
	}
	var ps []hookbridge.Problem
	for i, item := range list {
		at := fmt.Sprintf("%s[%d]", field, i)
		obj, _ := item.(map[string]any)
		email, _ := obj["email"].(string)
		switch {
		case !mailaddr.Valid(email):
			ps = append(ps, kit.Problem(at+".email", fmt.Sprintf("%v is not an email address", kit.Shown(orValue(obj["email"], item))),
				"each recipient is {email: \"jane@example.com\"} with a bare address; check the field the handler reads it from"))
		case seen[strings.ToLower(email)]:
			ps = append(ps, kit.Problem(at+".email", email+" appears twice in the personalization; SendGrid takes each address once",
				"drop the repeated address"))
		}
		seen[strings.ToLower(email)] = true
	}
	return len(list), ps
}

func orValue(v, fallback any) any {
	if v == nil {
		return fallback
	}
	return v
}

// senderProblems checks from or reply_to: an object {email, name}.
func senderProblems(field string, v any, required bool) []hookbridge.Problem {
	if v == nil {
		if !required {
			return nil
		}
		return []hookbridge.Problem{kit.Problem(field, "from is required: {email, name} of a Verified Sender",
			`set from to {email: "billing@yourdomain.com", name: "Billing"}`)}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(field, field+" must be an object {email, name}, not a string",
			`write it as {email: "billing@yourdomain.com", name: "Billing"}`)}
	}
	email, _ := obj["email"].(string)
	if !mailaddr.Valid(email) {
		return []hookbridge.Problem{kit.Problem(field+".email", fmt.Sprintf("%v is not a bare email address", kit.Shown(obj["email"])),
			`put the address alone in email and the display name in name`)}
	}
	if field == "from" && mailaddr.Domain(email) == exampleDomain {
		return []hookbridge.Problem{kit.Warning("from.email", "from is still the template's example address "+email,
			"set FROM at the top of the template to a Verified Sender of your SendGrid account")}
	}
	return nil
}

// templateProblems checks template_id, or — without one — the subject
// and content the email then needs.
func templateProblems(mail map[string]any) []hookbridge.Problem {
	id, hasTemplate := mail["template_id"]
	if !hasTemplate {
		var ps []hookbridge.Problem
		if _, ok := mail["dynamic_template_data"]; ok {
			ps = append(ps, kit.Problem("dynamic_template_data", "dynamic_template_data belongs in each personalization, not at the top",
				"move it into personalizations[i].dynamic_template_data, next to to"))
		}
		ps = append(ps, subjectProblems(mail)...)
		return append(ps, contentProblems(mail["content"])...)
	}
	s, _ := id.(string)
	switch {
	case s == placeholderTemplateID:
		return []hookbridge.Problem{kit.Warning("template_id", "template_id is still the template's placeholder",
			"set TEMPLATE_ID at the top of the template to your Dynamic Template's id (Email API → Dynamic Templates)")}
	case dynamicTemplateID.MatchString(s):
		return nil
	case legacyTemplateID.MatchString(s):
		return []hookbridge.Problem{kit.Warning("template_id", "template_id names a legacy template: it ignores dynamic_template_data",
			"use a Dynamic Template (its id starts with d-)")}
	}
	return []hookbridge.Problem{kit.Problem("template_id", fmt.Sprintf("template_id %q is not a Dynamic Template id: d- and 32 hexadecimal digits", s),
		"copy the id from Email API → Dynamic Templates")}
}

// subjectProblems requires a subject at the top or in every
// personalization.
func subjectProblems(mail map[string]any) []hookbridge.Problem {
	if s, ok := mail["subject"].(string); ok && strings.TrimSpace(s) != "" {
		return nil
	}
	list, _ := mail["personalizations"].([]any)
	for _, item := range list {
		p, _ := item.(map[string]any)
		if s, ok := p["subject"].(string); !ok || strings.TrimSpace(s) == "" {
			return []hookbridge.Problem{kit.Problem("subject", "subject is required without a template_id",
				"set subject, or send through a Dynamic Template with template_id")}
		}
	}
	if len(list) == 0 {
		return []hookbridge.Problem{kit.Problem("subject", "subject is required without a template_id", "set subject")}
	}
	return nil
}

func contentProblems(v any) []hookbridge.Problem {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return []hookbridge.Problem{kit.Problem("content", "content is required without a template_id: [{type, value}]",
			`set content to [{type: "text/plain", value: text}, {type: "text/html", value: html}]`)}
	}
	var ps []hookbridge.Problem
	for i, item := range list {
		field := fmt.Sprintf("content[%d]", i)
		c, _ := item.(map[string]any)
		typ, _ := c["type"].(string)
		value, _ := c["value"].(string)
		switch {
		case typ == "":
			ps = append(ps, kit.Problem(field+".type", "each content needs a type such as text/html", `set type to "text/plain" or "text/html"`))
		case value == "":
			ps = append(ps, kit.Problem(field+".value", "content of type "+typ+" is empty", "give it a value, or drop it"))
		case typ == "text/plain" && i > 0:
			ps = append(ps, kit.Problem(field, "text/plain content must come first", "put the text/plain content before text/html"))
		}
	}
	return ps
}

func categoryProblems(v any) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem("categories", "categories must be an array of strings", `write it as ["payment_succeeded"]`)}
	}
	if len(list) > maxCategories {
		return []hookbridge.Problem{kit.Problem("categories", fmt.Sprintf("%d categories; SendGrid takes at most %d", len(list), maxCategories), "keep the ten that matter")}
	}
	for i, item := range list {
		if s, ok := item.(string); !ok || s == "" || len(s) > maxCategoryLength {
			return []hookbridge.Problem{kit.Problem(fmt.Sprintf("categories[%d]", i), "a category is a string of 1 to 255 characters", "shorten it, or drop it")}
		}
	}
	return nil
}

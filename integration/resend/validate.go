package resend

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

// The sending endpoints.
const (
	pathEmails = "/emails"
	pathBatch  = "/emails/batch"
)

// Resend's documented limits.
const (
	maxRecipients     = 50  // addresses in "to"
	maxBatchEmails    = 100 // emails in one /emails/batch
	maxIdempotencyKey = 256 // characters of Idempotency-Key
	maxTagPart        = 256 // characters of a tag's name or value
)

// exampleDomain is the templates' placeholder sender domain.
const exampleDomain = "example.com"

// tagPattern is what a tag's name and value may hold: ASCII letters,
// numbers, underscores and dashes.
var tagPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// sdkNames are the Node SDK's camelCase names of fields the REST API
// spells in snake_case.
var sdkNames = map[string]string{"replyTo": "reply_to", "scheduledAt": "scheduled_at"}

// validate lists what Resend would reject in a request on its host.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if k := req.Header("Idempotency-Key"); len(k) > maxIdempotencyKey {
		ps = append(ps, kit.Problem("headers", fmt.Sprintf("Idempotency-Key has %d characters; Resend takes at most %d", len(k), maxIdempotencyKey),
			"leave Idempotency-Key unset: hookbridge sends the delivery's own key"))
	}
	switch path := outbound.TrimmedPath(req); path {
	case pathEmails:
		ps = append(ps, methodProblems(req)...)
		return append(ps, emailBodyProblems(req)...)
	case pathBatch:
		ps = append(ps, methodProblems(req)...)
		return append(ps, batchBodyProblems(req)...)
	default:
		return append(ps, kit.Warning("url", "hookbridge checks only "+pathEmails+" and "+pathBatch+" on Resend, not "+path,
			"send emails to https://"+Host+pathEmails))
	}
}

func methodProblems(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	if req.Method != "" && req.Method != http.MethodPost {
		return []hookbridge.Problem{kit.Problem("method", "Resend sends emails on POST, not "+req.Method, "set webhook.method to \"POST\" or leave it unset")}
	}
	return nil
}

func emailBodyProblems(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	email, err := req.Object()
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", "the body is not a JSON object", "set webhook.payload to an object: {from, to, subject, html}")}
	}
	return emailProblems("", email, false)
}

// batchBodyProblems checks a batch: a JSON array of emails (null reads
// as a batch of none).
func batchBodyProblems(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	body, err := req.Value()
	emails, isArray := body.([]any)
	if err != nil || !isArray && body != nil {
		return []hookbridge.Problem{kit.Problem("body", "a batch is a JSON array of emails", "set webhook.payload to an array of {from, to, subject, html} objects")}
	}
	var ps []hookbridge.Problem
	switch {
	case len(emails) == 0:
		ps = append(ps, kit.Problem("body", "the batch holds no email", "put 1 to 100 emails in the array"))
	case len(emails) > maxBatchEmails:
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the batch holds %d emails; Resend takes at most %d", len(emails), maxBatchEmails),
			"send one email per delivery to /emails and turn batching on for the endpoint: hookbridge packs them 100 at a time"))
	}
	for i, item := range emails {
		prefix := fmt.Sprintf("[%d].", i)
		email, isObject := item.(map[string]any)
		if !isObject {
			ps = append(ps, kit.Problem(prefix[:len(prefix)-1], "a batch item is not a JSON object", "make every item an object: {from, to, subject, html}"))
			continue
		}
		ps = append(ps, emailProblems(prefix, email, true)...)
	}
	return ps
}

// emailProblems checks one email; prefix is its place in a batch ("[3].").
func emailProblems(prefix string, email map[string]any, inBatch bool) []hookbridge.Problem {
	var ps []hookbridge.Problem
	ps = append(ps, fromProblems(prefix, email["from"])...)
	ps = append(ps, toProblems(prefix, email["to"])...)
	ps = append(ps, subjectProblems(prefix, email["subject"])...)
	ps = append(ps, contentProblems(prefix, email)...)
	for _, field := range []string{"cc", "bcc", "reply_to"} {
		if v, ok := email[field]; ok {
			ps = append(ps, addressListProblems(prefix+field, v, 0)...)
		}
	}
	ps = append(ps, tagProblems(prefix, email["tags"])...)
	if inBatch {
		for _, field := range []string{"attachments", "scheduled_at"} {
			if _, ok := email[field]; ok {
				ps = append(ps, kit.Problem(prefix+field, "Resend's batch endpoint does not take "+field,
					"send this email on its own to "+pathEmails))
			}
		}
	}
	for sdk, api := range sdkNames {
		if _, ok := email[sdk]; ok {
			ps = append(ps, kit.Warning(prefix+sdk, sdk+" is the Node SDK's name; the REST API reads "+api, "rename "+sdk+" to "+api))
		}
	}
	return ps
}

func fromProblems(prefix string, v any) []hookbridge.Problem {
	from, ok := v.(string)
	if !ok || strings.TrimSpace(from) == "" {
		return []hookbridge.Problem{kit.Problem(prefix+"from", "from is required: the sender's address",
			`set from to an address on a domain verified in Resend, such as "Billing <billing@yourdomain.com>"`)}
	}
	if _, _, ok := mailaddr.Split(from); !ok {
		return []hookbridge.Problem{kit.Problem(prefix+"from", fmt.Sprintf("from %q is not an address or \"Name <address>\"", from),
			`write from as "billing@yourdomain.com" or "Billing <billing@yourdomain.com>"`)}
	}
	if mailaddr.Domain(from) == exampleDomain {
		return []hookbridge.Problem{kit.Warning(prefix+"from", "from is still the template's example address "+from,
			"set FROM at the top of the template to an address on a domain you verified in Resend (Domains)")}
	}
	return nil
}

func toProblems(prefix string, v any) []hookbridge.Problem {
	if v == nil {
		return []hookbridge.Problem{kit.Problem(prefix+"to", "to is required: the recipient's address, or a list of up to 50",
			"set to to [webhook.payload.data.customer.email]")}
	}
	return addressListProblems(prefix+"to", v, maxRecipients)
}

// addressListProblems checks a string or an array of strings of
// addresses, at most limit of them (0 for no limit).
func addressListProblems(field string, v any, limit int) []hookbridge.Problem {
	var list []any
	switch x := v.(type) {
	case string:
		list = []any{x}
	case []any:
		list = x
	default:
		return []hookbridge.Problem{kit.Problem(field, field+" must be an address or an array of addresses", `write it as "jane@example.com" or ["jane@example.com"]`)}
	}
	var ps []hookbridge.Problem
	if len(list) == 0 {
		ps = append(ps, kit.Problem(field, field+" is empty", "give at least one address"))
	}
	if limit > 0 && len(list) > limit {
		ps = append(ps, kit.Problem(field, fmt.Sprintf("%s has %d addresses; Resend takes at most %d", field, len(list), limit),
			"split the recipients over several emails, or put the others in cc or bcc"))
	}
	for i, item := range list {
		s, ok := item.(string)
		if _, _, valid := mailaddr.Split(s); !ok || !valid {
			ps = append(ps, kit.Problem(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%v is not an email address", kit.Shown(item)),
				"check the field the handler reads the address from (customer.email)"))
		}
	}
	return ps
}

func subjectProblems(prefix string, v any) []hookbridge.Problem {
	if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
		return []hookbridge.Problem{kit.Problem(prefix+"subject", "subject is required", "set subject to the email's subject line")}
	}
	return nil
}

// contentProblems requires a body: html, text, or a Resend template.
func contentProblems(prefix string, email map[string]any) []hookbridge.Problem {
	for _, field := range []string{"html", "text"} {
		if s, ok := email[field].(string); ok && strings.TrimSpace(s) != "" {
			return nil
		}
	}
	if t, ok := email["template"].(map[string]any); ok {
		if id, _ := t["id"].(string); id != "" {
			return nil
		}
		return []hookbridge.Problem{kit.Problem(prefix+"template.id", "template needs the id of a published Resend template", "set template.id, or send html instead")}
	}
	return []hookbridge.Problem{kit.Problem(prefix+"html", "the email has no body: set html, text or both",
		"set html to the message (and text to its plain version)")}
}

func tagProblems(prefix string, v any) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	tags, ok := v.([]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(prefix+"tags", "tags must be an array of {name, value}", `write tags as [{name: "event", value: "payment_succeeded"}]`)}
	}
	var ps []hookbridge.Problem
	for i, t := range tags {
		field := fmt.Sprintf("%stags[%d]", prefix, i)
		tag, ok := t.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(field, "a tag must be an object {name, value}", `write it as {name: "event", value: "payment_succeeded"}`))
			continue
		}
		for _, part := range []string{"name", "value"} {
			s, _ := tag[part].(string)
			if part == "value" && tag[part] == nil {
				continue
			}
			if !tagPattern.MatchString(s) || len(s) > maxTagPart {
				ps = append(ps, kit.Problem(field+"."+part, fmt.Sprintf("tag %s %q may hold only ASCII letters, numbers, underscores and dashes (at most %d)", part, s, maxTagPart),
					`replace other characters with "_" (event.replace(".", "_"))`))
			}
		}
	}
	return ps
}

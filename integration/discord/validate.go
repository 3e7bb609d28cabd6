package discord

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// Discord's documented limits of a webhook message (Execute Webhook and
// the embed limits of the Message resource), in characters.
const (
	maxContent        = 2000
	maxEmbeds         = 10
	maxTitle          = 256
	maxDescription    = 4096
	maxFields         = 25
	maxFieldName      = 256
	maxFieldValue     = 1024
	maxFooter         = 2048
	maxAuthorName     = 256
	maxEmbedTextTotal = 6000
	maxUsername       = 80
	maxColor          = 0xFFFFFF
	fixShorten        = "shorten it in the transformation"
)

// member is a member of a message that the rules read, and what it must
// be unless it is null: a string, an object with members of their own, or
// an array of such objects.
type member struct {
	name    string
	members []member // an object's; none for a string
	array   bool     // an array of objects with members
}

// messageMembers are the members of an Execute Webhook body the rules
// read, as Discord types them.
var messageMembers = []member{
	{name: "content"},
	{name: "username"},
	{name: "embeds", array: true, members: []member{
		{name: "title"},
		{name: "description"},
		{name: "timestamp"},
		{name: "fields", array: true, members: []member{{name: "name"}, {name: "value"}}},
		{name: "footer", members: []member{{name: "text"}}},
		{name: "author", members: []member{{name: "name"}}},
	}},
}

// validate lists what Discord would refuse in a request to a webhook.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	ps := checkRequest(req)
	if len(ps) > 0 {
		return ps
	}
	msg, _ := req.Object() // checkRequest found an object
	if wrong := mistyped("", msg, messageMembers); wrong != "" {
		return []hookbridge.Problem{kit.Problem("body", "the body is not a Discord message: "+wrong,
			"return a JSON object such as {\"content\": \"…\"} or {\"embeds\": [{…}]} in webhook.payload")}
	}
	ps = append(ps, checkNotEmpty(msg)...)
	ps = append(ps, checkContent(msg)...)
	ps = append(ps, checkUsername(msg)...)
	ps = append(ps, checkEmbeds(kit.List(msg, "embeds"))...)
	return ps
}

// mistyped says which of members in obj (at is obj's path, "" or ending
// in ".") is neither null nor what it must be, "" if none is.
func mistyped(at string, obj map[string]any, members []member) string {
	for _, m := range members {
		v, path := obj[m.name], at+m.name
		switch {
		case v == nil:
		case m.array:
			items, ok := v.([]any)
			if !ok {
				return path + " is " + jsonbody.Kind(v) + ", not an array"
			}
			for i, item := range items {
				if wrong := mistypedObject(fmt.Sprintf("%s[%d]", path, i), item, m.members); wrong != "" {
					return wrong
				}
			}
		case len(m.members) > 0:
			if wrong := mistypedObject(path, v, m.members); wrong != "" {
				return wrong
			}
		default:
			if _, ok := v.(string); !ok {
				return path + " is " + jsonbody.Kind(v) + ", not a string"
			}
		}
	}
	return ""
}

// mistypedObject is mistyped for v, which must be an object or null.
func mistypedObject(path string, v any, members []member) string {
	if v == nil {
		return ""
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return path + " is " + jsonbody.Kind(v) + ", not an object"
	}
	return mistyped(path+".", obj, members)
}

// checkRequest checks what is not the body: the method, the path and the
// content type. A body that is not a JSON object ends the checks.
func checkRequest(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "Discord executes a webhook on POST only, not "+req.Method, "set webhook.method to \"POST\""))
	}
	if u, err := url.Parse(req.URL); err == nil && !webhookPath.MatchString(u.Path) {
		ps = append(ps, kit.Problem("url", "the path "+u.Path+" is not a Discord webhook's (/api/webhooks/{id}/{token})",
			"leave webhook.url as it starts (the endpoint's webhook URL), or paste the whole webhook URL"))
	}
	if ct := req.Header("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		ps = append(ps, kit.Problem("headers", "Discord reads a JSON body only with Content-Type: application/json, not "+ct,
			"remove the Content-Type header from the transformation"))
	}
	if _, err := req.Object(); err != nil {
		ps = append(ps, kit.Problem("body", "the body is not a JSON object: Discord answers 400",
			"return a JSON object such as {\"content\": \"…\"} or {\"embeds\": [{…}]} in webhook.payload"))
	}
	return ps
}

// checkNotEmpty: a message needs content, embeds, components or a poll.
func checkNotEmpty(msg map[string]any) []hookbridge.Problem {
	if kit.Text(msg, "content") != "" || len(kit.List(msg, "embeds")) > 0 || hasValue(msg["components"]) || hasValue(msg["poll"]) {
		return nil
	}
	return []hookbridge.Problem{kit.Problem("content",
		"the message has neither content nor embeds: Discord answers 400 \"Cannot send an empty message\" (50006)",
		"set content (text up to 2,000 characters) or embeds in webhook.payload")}
}

// hasValue reports whether v is neither null nor an empty array or object.
func hasValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func checkContent(msg map[string]any) []hookbridge.Problem {
	if n := utf8.RuneCountInString(kit.Text(msg, "content")); n > maxContent {
		return []hookbridge.Problem{overLimit("content", "content", n, maxContent)}
	}
	return nil
}

// checkUsername: a username override is 1 to 80 characters and, as
// webhook names, may not contain "clyde" or "discord".
func checkUsername(msg map[string]any) []hookbridge.Problem {
	name, ok := msg["username"].(string)
	if !ok {
		return nil
	}
	n := utf8.RuneCountInString(name)
	lower := strings.ToLower(name)
	switch {
	case n == 0 || n > maxUsername:
		return []hookbridge.Problem{kit.Problem("username", fmt.Sprintf("username is %d characters: Discord takes 1 to %d", n, maxUsername),
			"shorten the username, or leave it out to use the webhook's own name")}
	case strings.Contains(lower, "clyde") || strings.Contains(lower, "discord"):
		return []hookbridge.Problem{kit.Problem("username", "username contains \"clyde\" or \"discord\", which Discord refuses in webhook names",
			"choose another username, or leave it out to use the webhook's own name")}
	}
	return nil
}

// checkEmbeds checks the number of embeds, each one's limits, and the
// total of their text.
func checkEmbeds(embeds []any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(embeds) > maxEmbeds {
		ps = append(ps, kit.Problem("embeds", fmt.Sprintf("%d embeds: Discord takes up to %d per message", len(embeds), maxEmbeds),
			"send fewer embeds, or put several facts in the fields of one"))
	}
	total := 0
	for i, v := range embeds {
		e, _ := v.(map[string]any)
		ps = append(ps, checkEmbed(fmt.Sprintf("embeds[%d]", i), e)...)
		total += embedText(e)
	}
	if total > maxEmbedTextTotal {
		ps = append(ps, kit.Problem("embeds", fmt.Sprintf(
			"the embeds hold %d characters of text (titles, descriptions, field names and values, footers, author names): Discord takes up to %d in all",
			total, maxEmbedTextTotal), "shorten the text, or send fewer embeds"))
	}
	return ps
}

func checkEmbed(at string, e map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	for _, l := range []struct {
		field, text string
		max         int
	}{
		{at + ".title", kit.Text(e, "title"), maxTitle},
		{at + ".description", kit.Text(e, "description"), maxDescription},
		{at + ".footer.text", footerText(e), maxFooter},
		{at + ".author.name", authorName(e), maxAuthorName},
	} {
		if n := utf8.RuneCountInString(l.text); n > l.max {
			ps = append(ps, overLimit(l.field, l.field, n, l.max))
		}
	}
	ps = append(ps, checkColor(at, e["color"])...)
	ps = append(ps, checkTimestamp(at, e)...)
	return append(ps, checkFields(at, kit.List(e, "fields"))...)
}

func checkFields(at string, fields []any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(fields) > maxFields {
		ps = append(ps, kit.Problem(at+".fields", fmt.Sprintf("%d fields: Discord takes up to %d per embed", len(fields), maxFields),
			"put fewer fields in the embed, or spread them over several embeds"))
	}
	for i, v := range fields {
		f, _ := v.(map[string]any)
		fa := fmt.Sprintf("%s.fields[%d]", at, i)
		ps = append(ps, checkFieldText(fa+".name", kit.Text(f, "name"), maxFieldName)...)
		ps = append(ps, checkFieldText(fa+".value", kit.Text(f, "value"), maxFieldValue)...)
	}
	return ps
}

// checkFieldText: a field's name and value are required and limited.
func checkFieldText(at, text string, max int) []hookbridge.Problem {
	n := utf8.RuneCountInString(strings.TrimSpace(text))
	if n == 0 {
		return []hookbridge.Problem{kit.Problem(at, at+" is empty: Discord answers 400 (\"This field is required\")",
			"give it a text, such as \"—\" for a value that is missing from the event")}
	}
	if n = utf8.RuneCountInString(text); n > max {
		return []hookbridge.Problem{overLimit(at, at, n, max)}
	}
	return nil
}

// checkColor: an embed's colour, unless null, is an integer from 0 to
// 0xFFFFFF (an empty array or object is refused as any other non-number).
func checkColor(at string, color any) []hookbridge.Problem {
	if color == nil {
		return nil
	}
	number, _ := color.(json.Number)
	if c, err := number.Float64(); err != nil || c != math.Trunc(c) || c < 0 || c > maxColor {
		return []hookbridge.Problem{kit.Problem(at+".color", "color is "+literal(color)+": Discord takes an integer from 0 to 16777215 (0xFFFFFF)",
			"write the colour as a number, such as 0x2ecc71, not a string")}
	}
	return nil
}

// checkTimestamp: an embed's timestamp is an ISO 8601 date and time.
func checkTimestamp(at string, e map[string]any) []hookbridge.Problem {
	ts, ok := e["timestamp"].(string)
	if !ok {
		return nil
	}
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		return []hookbridge.Problem{kit.Problem(at+".timestamp", "timestamp "+ts+" is not an ISO 8601 date and time",
			"use the event's timestamp as it comes (webhook.payload.timestamp)")}
	}
	return nil
}

// embedText is what counts towards the 6,000 characters of all embeds.
func embedText(e map[string]any) int {
	n := utf8.RuneCountInString(kit.Text(e, "title")) + utf8.RuneCountInString(kit.Text(e, "description")) +
		utf8.RuneCountInString(footerText(e)) + utf8.RuneCountInString(authorName(e))
	for _, v := range kit.List(e, "fields") {
		f, _ := v.(map[string]any)
		n += utf8.RuneCountInString(kit.Text(f, "name")) + utf8.RuneCountInString(kit.Text(f, "value"))
	}
	return n
}

func footerText(e map[string]any) string {
	footer, _ := e["footer"].(map[string]any)
	return kit.Text(footer, "text")
}

func authorName(e map[string]any) string {
	author, _ := e["author"].(map[string]any)
	return kit.Text(author, "name")
}

// literal writes v as JSON text, for a message.
func literal(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func overLimit(field, what string, n, max int) hookbridge.Problem {
	return kit.Problem(field, fmt.Sprintf("%s is %d characters: Discord takes up to %d", what, n, max), fixShorten)
}

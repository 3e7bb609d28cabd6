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

// message is the part of an Execute Webhook body the rules read.
type message struct {
	Content    *string         `json:"content"`
	Username   *string         `json:"username"`
	Embeds     []embedObject   `json:"embeds"`
	Components json.RawMessage `json:"components"`
	Poll       json.RawMessage `json:"poll"`
}

type embedObject struct {
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Color       json.RawMessage `json:"color"`
	Timestamp   *string         `json:"timestamp"`
	Fields      []embedField    `json:"fields"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

type embedField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// validate lists what Discord would refuse in a request to a webhook.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	ps := checkRequest(req)
	if len(ps) > 0 {
		return ps
	}
	var m message
	if err := json.Unmarshal(req.Body, &m); err != nil {
		return []hookbridge.Problem{kit.Problem("body", "the body is not a Discord message: "+err.Error(),
			"return a JSON object such as {\"content\": \"…\"} or {\"embeds\": [{…}]} in webhook.payload")}
	}
	ps = append(ps, checkNotEmpty(m)...)
	ps = append(ps, checkContent(m)...)
	ps = append(ps, checkUsername(m)...)
	ps = append(ps, checkEmbeds(m.Embeds)...)
	return ps
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
	var obj map[string]json.RawMessage
	if json.Unmarshal(req.Body, &obj) != nil || obj == nil {
		ps = append(ps, kit.Problem("body", "the body is not a JSON object: Discord answers 400",
			"return a JSON object such as {\"content\": \"…\"} or {\"embeds\": [{…}]} in webhook.payload"))
	}
	return ps
}

// checkNotEmpty: a message needs content, embeds, components or a poll.
func checkNotEmpty(m message) []hookbridge.Problem {
	if (m.Content != nil && *m.Content != "") || len(m.Embeds) > 0 || hasValue(m.Components) || hasValue(m.Poll) {
		return nil
	}
	return []hookbridge.Problem{kit.Problem("content",
		"the message has neither content nor embeds: Discord answers 400 \"Cannot send an empty message\" (50006)",
		"set content (text up to 2,000 characters) or embeds in webhook.payload")}
}

func hasValue(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "[]" && s != "{}"
}

func checkContent(m message) []hookbridge.Problem {
	if m.Content == nil {
		return nil
	}
	if n := utf8.RuneCountInString(*m.Content); n > maxContent {
		return []hookbridge.Problem{overLimit("content", "content", n, maxContent)}
	}
	return nil
}

// checkUsername: a username override is 1 to 80 characters and, as
// webhook names, may not contain "clyde" or "discord".
func checkUsername(m message) []hookbridge.Problem {
	if m.Username == nil {
		return nil
	}
	name := *m.Username
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
func checkEmbeds(embeds []embedObject) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(embeds) > maxEmbeds {
		ps = append(ps, kit.Problem("embeds", fmt.Sprintf("%d embeds: Discord takes up to %d per message", len(embeds), maxEmbeds),
			"send fewer embeds, or put several facts in the fields of one"))
	}
	total := 0
	for i, e := range embeds {
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

func checkEmbed(at string, e embedObject) []hookbridge.Problem {
	var ps []hookbridge.Problem
	for _, l := range []struct {
		field, text string
		max         int
	}{
		{at + ".title", e.Title, maxTitle},
		{at + ".description", e.Description, maxDescription},
		{at + ".footer.text", footerText(e), maxFooter},
		{at + ".author.name", authorName(e), maxAuthorName},
	} {
		if n := utf8.RuneCountInString(l.text); n > l.max {
			ps = append(ps, overLimit(l.field, l.field, n, l.max))
		}
	}
	ps = append(ps, checkColor(at, e.Color)...)
	ps = append(ps, checkTimestamp(at, e.Timestamp)...)
	return append(ps, checkFields(at, e.Fields)...)
}

func checkFields(at string, fields []embedField) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(fields) > maxFields {
		ps = append(ps, kit.Problem(at+".fields", fmt.Sprintf("%d fields: Discord takes up to %d per embed", len(fields), maxFields),
			"put fewer fields in the embed, or spread them over several embeds"))
	}
	for i, f := range fields {
		fa := fmt.Sprintf("%s.fields[%d]", at, i)
		ps = append(ps, checkFieldText(fa+".name", f.Name, maxFieldName)...)
		ps = append(ps, checkFieldText(fa+".value", f.Value, maxFieldValue)...)
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

// checkColor: an embed's colour is an integer from 0 to 0xFFFFFF.
func checkColor(at string, raw json.RawMessage) []hookbridge.Problem {
	if !hasValue(raw) {
		return nil
	}
	var c float64
	if json.Unmarshal(raw, &c) != nil || c != math.Trunc(c) || c < 0 || c > maxColor {
		return []hookbridge.Problem{kit.Problem(at+".color", "color is "+string(raw)+": Discord takes an integer from 0 to 16777215 (0xFFFFFF)",
			"write the colour as a number, such as 0x2ecc71, not a string")}
	}
	return nil
}

// checkTimestamp: an embed's timestamp is an ISO 8601 date and time.
func checkTimestamp(at string, ts *string) []hookbridge.Problem {
	if ts == nil {
		return nil
	}
	if _, err := time.Parse(time.RFC3339Nano, *ts); err != nil {
		return []hookbridge.Problem{kit.Problem(at+".timestamp", "timestamp "+*ts+" is not an ISO 8601 date and time",
			"use the event's timestamp as it comes (webhook.payload.timestamp)")}
	}
	return nil
}

// embedText is what counts towards the 6,000 characters of all embeds.
func embedText(e embedObject) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description) +
		utf8.RuneCountInString(footerText(e)) + utf8.RuneCountInString(authorName(e))
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

func footerText(e embedObject) string {
	if e.Footer == nil {
		return ""
	}
	return e.Footer.Text
}

func authorName(e embedObject) string {
	if e.Author == nil {
		return ""
	}
	return e.Author.Name
}

func overLimit(field, what string, n, max int) hookbridge.Problem {
	return kit.Problem(field, fmt.Sprintf("%s is %d characters: Discord takes up to %d", what, n, max), fixShorten)
}

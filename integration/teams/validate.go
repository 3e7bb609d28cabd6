package teams

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// Teams' documented limits of a webhook message.
const (
	// maxBody is the message size Teams takes: 28 KB.
	maxBody = 28 << 10
	// adaptiveCard is the content type of an Adaptive Card attachment.
	adaptiveCard = "application/vnd.microsoft.card.adaptive"
	// maxCardMajor and maxCardMinor are the newest Adaptive Card schema
	// Teams renders: 1.5.
	maxCardMajor, maxCardMinor = 1, 5
)

// teamsMessage is the part of a webhook body the rules read.
type teamsMessage struct {
	Type        *string      `json:"type"`
	Attachments []attachment `json:"attachments"`
}

type attachment struct {
	ContentType string          `json:"contentType"`
	Content     json.RawMessage `json:"content"`
}

// card is the part of an Adaptive Card the rules read.
type card struct {
	Type    string            `json:"type"`
	Version json.RawMessage   `json:"version"`
	Body    []json.RawMessage `json:"body"`
}

// validate lists what Teams would refuse, or fail to post, in a request
// to a webhook, and warns of a webhook kind Microsoft is retiring.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	ps := hostWarnings(req)
	ps = append(ps, checkRequest(req)...)
	if len(hookbridge.Blocking(ps)) > 0 {
		return ps
	}
	var m teamsMessage
	if err := json.Unmarshal(req.Body, &m); err != nil {
		return append(ps, kit.Problem("body", "the body is not a Teams message: "+err.Error(), fixMessageShape))
	}
	ps = append(ps, checkMessage(m)...)
	for i, a := range m.Attachments {
		ps = append(ps, checkAttachment(fmt.Sprintf("attachments[%d]", i), a)...)
	}
	return ps
}

const fixMessageShape = `return {type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive", content: {type: "AdaptiveCard", version: "1.4", body: [...]}}]} in webhook.payload`

// hostWarnings warns of the webhook kinds Microsoft has retired or moved.
func hostWarnings(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil
	}
	switch host := outbound.Host(u); {
	case isConnector(host):
		return []hookbridge.Problem{kit.Warning("url",
			"this is a Microsoft 365 connector (incoming webhook) URL: Microsoft has retired connectors in Teams, and a retired one answers 200 without posting, or an error",
			"create a Workflows webhook for the channel (••• → Workflows → \"Send webhook alerts to a channel\") and paste its URL in the endpoint's credentials")}
	case isLogicApps(host):
		return []hookbridge.Problem{kit.Warning("url",
			"this Workflows URL is on logic.azure.com: Microsoft has moved Workflows webhooks to environment.api.powerplatform.com and announced the end of the older URLs",
			"open the flow's trigger (\"When a Teams webhook request is received\"), copy its current URL and paste it in the endpoint's credentials")}
	}
	return nil
}

// checkRequest checks the method, the content type, the size, and that
// the body is a JSON object.
func checkRequest(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "Teams webhooks take POST only, not "+req.Method, "set webhook.method to \"POST\""))
	}
	if ct := req.Header("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		ps = append(ps, kit.Problem("headers", "Teams webhooks read JSON only (Content-Type: application/json), not "+ct,
			"remove the Content-Type header from the transformation"))
	}
	if len(req.Body) > maxBody {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the message is %d bytes: Teams takes up to 28 KB (%d bytes)", len(req.Body), maxBody),
			"shorten the card: fewer facts, shorter texts"))
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(req.Body, &obj) != nil || obj == nil {
		ps = append(ps, kit.Problem("body", "the body is not a JSON object", fixMessageShape))
	}
	return ps
}

// checkMessage: the message is of type "message" with attachments.
func checkMessage(m teamsMessage) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if m.Type == nil || *m.Type != "message" {
		ps = append(ps, kit.Problem("type", `type is not "message": the Workflows template posts the cards of a message only`,
			`set type: "message" at the top of webhook.payload`))
	}
	if len(m.Attachments) == 0 {
		ps = append(ps, kit.Problem("attachments", "the message has no attachments: there is no card to post",
			"put the Adaptive Card in attachments[0].content, with contentType "+adaptiveCard))
	}
	return ps
}

// checkAttachment: an Adaptive Card of version 1.5 or lower with a body
// of typed elements.
func checkAttachment(at string, a attachment) []hookbridge.Problem {
	if a.ContentType != adaptiveCard {
		return []hookbridge.Problem{kit.Problem(at+".contentType", fmt.Sprintf("contentType is %q: Teams Workflows post Adaptive Cards (%s)", a.ContentType, adaptiveCard),
			"set contentType to "+adaptiveCard+" and put an Adaptive Card in content")}
	}
	var c card
	if json.Unmarshal(a.Content, &c) != nil || c.Type != "AdaptiveCard" {
		return []hookbridge.Problem{kit.Problem(at+".content", `content is not an Adaptive Card (an object with type "AdaptiveCard")`,
			`set content to {type: "AdaptiveCard", version: "1.4", body: [...]}`)}
	}
	var ps []hookbridge.Problem
	if msg := checkVersion(c.Version); msg != "" {
		ps = append(ps, kit.Problem(at+".content.version", msg, `set version to "1.4" (or another up to "1.5")`))
	}
	if len(c.Body) == 0 {
		ps = append(ps, kit.Warning(at+".content.body", "the card has no body: Teams posts an empty card",
			"add elements to the card's body, such as a TextBlock and a FactSet"))
	}
	for i, el := range c.Body {
		var typed struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(el, &typed) != nil || typed.Type == "" {
			ps = append(ps, kit.Problem(fmt.Sprintf("%s.content.body[%d]", at, i), "an element of the card's body has no type: the card cannot be rendered",
				`give each element its type, such as "TextBlock" or "FactSet"`))
		}
	}
	return ps
}

// checkVersion says what is wrong with a card's version, "" if nothing:
// it is required, a string "major.minor", and at most 1.5.
func checkVersion(raw json.RawMessage) string {
	var v string
	if json.Unmarshal(raw, &v) != nil || v == "" {
		return "the card has no version (a string such as \"1.4\"): Teams does not render it"
	}
	major, minor, ok := strings.Cut(v, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return fmt.Sprintf("version %q is not a version such as \"1.4\"", v)
	case ma > maxCardMajor || (ma == maxCardMajor && mi > maxCardMinor):
		return fmt.Sprintf("version %s is newer than Teams renders (up to 1.5): Teams shows an error instead of the card", v)
	}
	return ""
}

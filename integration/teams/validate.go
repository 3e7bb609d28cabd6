package teams

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
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

// validate lists what Teams would refuse, or fail to post, in a request
// to a webhook, and warns of a webhook kind Microsoft is retiring.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	ps := hostWarnings(req)
	ps = append(ps, checkRequest(req)...)
	if len(hookbridge.Blocking(ps)) > 0 {
		return ps
	}
	msg, _ := req.Object() // checkRequest found an object
	if wrong := mistyped(msg); wrong != "" {
		return append(ps, kit.Problem("body", "the body is not a Teams message: "+wrong, fixMessageShape))
	}
	ps = append(ps, checkMessage(msg)...)
	for i, a := range kit.List(msg, "attachments") {
		attachment, _ := a.(map[string]any)
		ps = append(ps, checkAttachment(fmt.Sprintf("attachments[%d]", i), attachment)...)
	}
	return ps
}

// mistyped says which member the rules read is neither null nor what
// Teams takes there, "" if none is. An attachment's content is for
// checkAttachment to read.
func mistyped(msg map[string]any) string {
	if wrong := notText("type", msg["type"]); wrong != "" {
		return wrong
	}
	attachments, ok := msg["attachments"].([]any)
	if !ok && msg["attachments"] != nil {
		return "attachments is " + jsonbody.Kind(msg["attachments"]) + ", not an array"
	}
	for i, v := range attachments {
		a, ok := v.(map[string]any)
		if !ok && v != nil {
			return fmt.Sprintf("attachments[%d] is %s, not an object", i, jsonbody.Kind(v))
		}
		if wrong := notText(fmt.Sprintf("attachments[%d].contentType", i), a["contentType"]); wrong != "" {
			return wrong
		}
	}
	return ""
}

// notText says that v, at path, is neither null nor a string; "" if it
// is one of them.
func notText(path string, v any) string {
	if _, ok := v.(string); ok || v == nil {
		return ""
	}
	return path + " is " + jsonbody.Kind(v) + ", not a string"
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
	if _, err := req.Object(); err != nil {
		ps = append(ps, kit.Problem("body", "the body is not a JSON object", fixMessageShape))
	}
	return ps
}

// checkMessage: the message is of type "message" with attachments.
func checkMessage(msg map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if kit.Text(msg, "type") != "message" {
		ps = append(ps, kit.Problem("type", `type is not "message": the Workflows template posts the cards of a message only`,
			`set type: "message" at the top of webhook.payload`))
	}
	if len(kit.List(msg, "attachments")) == 0 {
		ps = append(ps, kit.Problem("attachments", "the message has no attachments: there is no card to post",
			"put the Adaptive Card in attachments[0].content, with contentType "+adaptiveCard))
	}
	return ps
}

// checkAttachment: an Adaptive Card of version 1.5 or lower with a body
// of typed elements.
func checkAttachment(at string, a map[string]any) []hookbridge.Problem {
	if contentType := kit.Text(a, "contentType"); contentType != adaptiveCard {
		return []hookbridge.Problem{kit.Problem(at+".contentType", fmt.Sprintf("contentType is %q: Teams Workflows post Adaptive Cards (%s)", contentType, adaptiveCard),
			"set contentType to "+adaptiveCard+" and put an Adaptive Card in content")}
	}
	// A card is an object of type "AdaptiveCard" whose body, if it has
	// one, is an array.
	card, isObject := a["content"].(map[string]any)
	body, isArray := card["body"].([]any)
	if !isObject || kit.Text(card, "type") != "AdaptiveCard" || (card["body"] != nil && !isArray) {
		return []hookbridge.Problem{kit.Problem(at+".content", `content is not an Adaptive Card (an object with type "AdaptiveCard")`,
			`set content to {type: "AdaptiveCard", version: "1.4", body: [...]}`)}
	}
	var ps []hookbridge.Problem
	if msg := checkVersion(card["version"]); msg != "" {
		ps = append(ps, kit.Problem(at+".content.version", msg, `set version to "1.4" (or another up to "1.5")`))
	}
	if len(body) == 0 {
		ps = append(ps, kit.Warning(at+".content.body", "the card has no body: Teams posts an empty card",
			"add elements to the card's body, such as a TextBlock and a FactSet"))
	}
	for i, v := range body {
		if element, _ := v.(map[string]any); kit.Text(element, "type") == "" {
			ps = append(ps, kit.Problem(fmt.Sprintf("%s.content.body[%d]", at, i), "an element of the card's body has no type: the card cannot be rendered",
				`give each element its type, such as "TextBlock" or "FactSet"`))
		}
	}
	return ps
}

// checkVersion says what is wrong with a card's version, "" if nothing:
// it is required, a string "major.minor", and at most 1.5.
func checkVersion(version any) string {
	v, _ := version.(string)
	if v == "" {
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

package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// Discord's JSON error codes that the answer reading knows.
const (
	codeUnknownWebhook      = 10015
	codeInvalidWebhookToken = 50027
	codeEmptyMessage        = 50006
	codeInvalidFormBody     = 50035
	codeForumNeedsThread    = 220001
)

// apiError is Discord's error body: {"code": 50035, "message": "Invalid
// Form Body", "errors": {...}}.
type apiError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Errors  json.RawMessage `json:"errors"`
}

// rateLimit is the body of Discord's 429.
type rateLimit struct {
	Message string `json:"message"`
	Global  bool   `json:"global"`
}

// readAnswer reads Discord's answers: the retry_after of a 429 (seconds,
// a float, in the JSON body), and the code, message and field errors of a
// 4xx, with what to do about the known ones. An Unknown Webhook or an
// invalid token fails for good: the URL has to change.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	switch {
	case a.Status == http.StatusTooManyRequests:
		return readRateLimit(a.Body)
	case a.Status >= 400 && a.Status < 500:
		var e apiError
		if json.Unmarshal(a.Body, &e) != nil || (e.Code == 0 && e.Message == "") {
			return hookbridge.AnswerReading{}
		}
		return readError(e)
	}
	return hookbridge.AnswerReading{}
}

// readRateLimit retries after the body's retry_after.
func readRateLimit(body []byte) hookbridge.AnswerReading {
	wait := kit.RetryAfterJSON(body, "retry_after")
	var rl rateLimit
	_ = json.Unmarshal(body, &rl)
	reason := "rate limited"
	if wait > 0 {
		reason += fmt.Sprintf(" for %s", wait.Round(time.Millisecond))
	}
	if rl.Global {
		reason += " (Discord's global limit)"
	}
	return hookbridge.AnswerReading{
		Verdict:    hookbridge.AnswerRetry,
		Reason:     reason,
		Fix:        "hookbridge waits as long as Discord asks; if it happens often, lower the endpoint's rate limit (a webhook takes about 5 messages per 2 seconds, and a channel about 30 a minute)",
		RetryAfter: wait,
	}
}

// readError names a Discord error and says what to do about it.
func readError(e apiError) hookbridge.AnswerReading {
	reason := fmt.Sprintf("%s (Discord code %d)", strings.TrimSuffix(e.Message, "."), e.Code)
	if details := fieldErrors(e.Errors); len(details) > 0 {
		reason += ": " + strings.Join(details, "; ")
	}
	r := hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason}
	switch e.Code {
	case codeUnknownWebhook:
		r.Fix = "the webhook was deleted: create a new one in the channel's settings (Integrations → Webhooks) and paste its URL in the endpoint's credentials"
	case codeInvalidWebhookToken:
		r.Fix = "the URL's token is wrong or was reset: copy the webhook URL again in Discord and paste it in the endpoint's credentials"
	case codeEmptyMessage:
		r.Fix = "set content or embeds in webhook.payload"
	case codeInvalidFormBody:
		r.Fix = "change the transformation so that the message keeps to Discord's limits; test it on this event to see which one it breaks"
	case codeForumNeedsThread:
		r.Fix = "the webhook posts to a forum channel: set thread_name in webhook.payload, or add ?thread_id= to the webhook URL"
	default:
		r.Verdict = hookbridge.AnswerByStatus
	}
	return r
}

// fieldErrors flattens Discord's nested field errors into
// "embeds.0.fields.6.value: Must be 1024 or fewer in length", in the
// order of their paths.
func fieldErrors(raw json.RawMessage) []string {
	var tree map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &tree) != nil {
		return nil
	}
	var out []string
	walkErrors("", tree, &out)
	slices.Sort(out)
	return out
}

func walkErrors(path string, node map[string]any, out *[]string) {
	for key, v := range node {
		child, _ := v.(map[string]any)
		if key == "_errors" {
			list, _ := v.([]any)
			for _, item := range list {
				e, _ := item.(map[string]any)
				msg, _ := e["message"].(string)
				*out = append(*out, strings.TrimPrefix(path, ".")+": "+msg)
			}
			continue
		}
		if child != nil {
			walkErrors(path+"."+key, child, out)
		}
	}
}

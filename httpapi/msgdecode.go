package httpapi

import (
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// decodeMessageInput decodes the body of POST /api/v1/apps/{app}/messages
// into in, as decodeJSONBody does, reading the usual body (the members
// "event_type", "event_id" and "payload", the first two strings) in one
// pass of jsonbody. Any other body (one that is not JSON by the Strict
// rules, or has a member decodeJSONBody refuses or matches without regard
// to case) goes through decodeJSONBody, which decides. in.Payload shares body's memory.
func decodeMessageInput(body []byte, limit int64, in *messageInput) error {
	members, err := jsonbody.Members(body, jsonbody.Strict)
	if err == nil && usualMessage(body, members, in) {
		return nil
	}
	*in = messageInput{}
	return decodeJSONBody(body, limit, in)
}

// usualMessage decodes the members of a checked message body into in and
// reports whether they are those of the usual body; when they are not, in
// holds partial results.
func usualMessage(body []byte, members []jsonbody.Member, in *messageInput) bool {
	for _, m := range members {
		value := body[m.Start:m.End]
		var ok bool
		switch m.Name {
		case "event_type":
			in.EventType, ok = jsonbody.Unquote(value)
		case "event_id":
			in.EventID, ok = jsonbody.Unquote(value)
		case "payload":
			in.Payload, ok = value, true
		}
		if !ok {
			return false
		}
	}
	return true
}

package inngest

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
)

// prepare sends the request to the Event API of the credentials' host with
// the event key in its path, and gives each event the delivery's
// idempotency key as its id (the n-th event of an array gets key-n), unless
// the handler set one.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	req.URL = EventURL(creds)
	if sc.IdempotencyKey == "" {
		return nil
	}
	body, _ := req.Value() // a body that does not read is for Validate to report
	switch body := body.(type) {
	case []any:
		return setIDs(req, body, sc.IdempotencyKey)
	case map[string]any:
		if _, err := req.SetStringIfMissing("id", sc.IdempotencyKey); err != nil {
			return fmt.Errorf("inngest: add the event id: %w", err)
		}
	}
	return nil
}

// EventURL is the Event API URL of creds: https://<host>/e/<event key>.
func EventURL(creds hookbridge.Credentials) string {
	host := creds[FieldHost]
	if host == "" {
		host = DefaultHost
	}
	u := url.URL{Scheme: "https", Host: host, Path: "/e/" + creds[FieldEventKey]}
	return u.String()
}

// setIDs gives each event of the array events, the request's body,
// whose id is missing, null or "" the id key-n, n its place. A body in
// which some event lacks one is written again by req.SetValue, its
// members sorted by name; one that lacks none is left as it is.
func setIDs(req *hookbridge.OutboundRequest, events []any, key string) error {
	changed := false
	for i, ev := range events {
		event, isObject := ev.(map[string]any)
		if !isObject || event["id"] != nil && event["id"] != "" {
			continue
		}
		event["id"] = key + "-" + strconv.Itoa(i)
		changed = true
	}
	if !changed {
		return nil
	}
	if err := req.SetValue(events); err != nil {
		return fmt.Errorf("inngest: add the events' ids: %w", err)
	}
	return nil
}

package inngest

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// prepare sends the request to the Event API of the credentials' host with
// the event key in its path, and gives each event the delivery's
// idempotency key as its id (the n-th event of an array gets key-n), unless
// the handler set one.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	req.URL = EventURL(creds)
	if sc.IdempotencyKey == "" || len(req.Body) == 0 {
		return nil
	}
	if isArray(req.Body) {
		req.Body = withIDs(req.Body, sc.IdempotencyKey)
		return nil
	}
	if _, err := req.Object(); err != nil {
		return nil // Validate says what is wrong with the body
	}
	if _, err := req.SetStringIfMissing("id", sc.IdempotencyKey); err != nil {
		return fmt.Errorf("inngest: add the event id: %w", err)
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

// withIDs sets id in each event of an array (the n-th gets key-n) that
// has none; an array that does not read is left for Validate to report.
func withIDs(array []byte, key string) []byte {
	trimmed := bytes.TrimSpace(array)
	elems, err := jsonbody.Elements(trimmed, jsonbody.Lenient)
	if err != nil {
		return array
	}
	var out bytes.Buffer
	out.WriteByte('[')
	for i, span := range elems {
		if i > 0 {
			out.WriteByte(',')
		}
		elem := trimmed[span[0]:span[1]]
		if withID, _, err := jsonbody.SetStringIfMissing(elem, "id", key+"-"+strconv.Itoa(i)); err == nil {
			elem = withID
		}
		out.Write(elem)
	}
	out.WriteByte(']')
	return out.Bytes()
}

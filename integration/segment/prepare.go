package segment

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/jsonobj"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// Prepare makes a transformed request ready for Segment. A request to any
// other host is left exactly as it is: the write key is never sent anywhere
// but the Tracking API. On a Tracking API host it
//   - moves the request to the region's host (path kept),
//   - sets Authorization: Basic base64(write_key + ":") when a key is given,
//   - sets Content-Type: application/json,
//   - sets messageId to the idempotency key unless the handler set one, and
//     in a batch each item's messageId to key-index, so that Segment counts
//     a retried delivery once.
func (in *Integration) Prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, ok := outbound.ParseOnHost(req, in.info.Hosts)
	if !ok {
		return nil
	}
	outbound.DefaultMethod(req)
	host, err := hostForRegion(creds[FieldRegion])
	if err != nil {
		return err
	}
	path := u.Path
	if outbound.Host(u) != host {
		if err := outbound.MoveHost(req, host); err != nil {
			return fmt.Errorf("move to segment region host: %w", err)
		}
		path = outbound.Path(req)
	}
	if key := creds[FieldWriteKey]; key != "" {
		req.SetHeader("Authorization", outbound.BasicAuth(key, ""))
	}
	req.SetHeader("Content-Type", "application/json")
	if sc.IdempotencyKey != "" && req.Method == http.MethodPost {
		req.Body = withMessageIDs(req.Body, path, sc.IdempotencyKey)
	}
	return nil
}

// withMessageIDs returns original, the body of a request to path, with
// messageIds filled in. A body that is not a JSON object is returned
// unchanged: Validate reports it.
func withMessageIDs(original []byte, path, key string) []byte {
	call, ok := callOfPath(path)
	if !ok {
		return original
	}
	var (
		body []byte
		err  error
	)
	if call == "batch" {
		body, err = jsonobj.EditArray(original, "batch", func(i int, item []byte) ([]byte, error) {
			out, _, err := jsonobj.SetStringIfMissing(item, "messageId", key+"-"+strconv.Itoa(i))
			return out, err
		})
	} else {
		body, _, err = jsonobj.SetStringIfMissing(original, "messageId", key)
	}
	if err != nil {
		return original
	}
	return body
}

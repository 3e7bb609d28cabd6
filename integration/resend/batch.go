package resend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// maxEmailBytes is Resend's bound on one email (40 MB, attachments
// included after Base64).
const maxEmailBytes = 40 << 20

// batchValidationHeader asks Resend to send the valid emails of a batch
// and list the invalid ones (permissive mode) rather than refuse the whole
// batch for one bad email (strict mode, the default).
const batchValidationHeader = "x-batch-validation"

// batcher packs emails for POST /emails into POST /emails/batch.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are Resend's: at most 100 emails in a batch.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchEmails, MaxItemBytes: maxEmailBytes}
}

// BatchItem turns a prepared POST /emails into its batch item: the same
// email. An email with attachments or a schedule cannot go in a batch
// (Resend's batch endpoint takes neither), nor can a request elsewhere.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	if req.Method != http.MethodPost || !outbound.OnHost(req, []string{Host}) || outbound.TrimmedPath(req) != pathEmails {
		return nil, false
	}
	email, err := req.Object()
	if err != nil {
		return nil, false
	}
	for _, field := range []string{"attachments", "scheduled_at"} {
		if _, ok := email[field]; ok {
			return nil, false
		}
	}
	var item bytes.Buffer
	if err := json.Compact(&item, req.Body); err != nil {
		return nil, false
	}
	return item.Bytes(), true
}

// BatchRequest builds POST /emails/batch with like's headers
// (authentication), in permissive mode, carrying items. Its
// Idempotency-Key is derived from the batch's content: a batch sent again
// as it was carries the same key and is not sent twice, while a batch of
// other emails never reuses the key of another.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("resend batch: no emails")
	}
	u, err := url.Parse(like.URL)
	if err != nil {
		return nil, fmt.Errorf("resend batch: %w", err)
	}
	u.Path, u.RawQuery = pathBatch, ""
	req := &hookbridge.OutboundRequest{Method: http.MethodPost, URL: u.String(), Headers: maps.Clone(like.Headers), Body: kit.JSONArray(items)}
	req.SetHeader("Idempotency-Key", BatchIdempotencyKey(req.Body))
	req.SetHeader(batchValidationHeader, "permissive")
	return req, nil
}

// BatchIdempotencyKey is the Idempotency-Key of a batch body.
func BatchIdempotencyKey(body []byte) string {
	sum := sha256.Sum256(body)
	return "hookbridge-batch/" + hex.EncodeToString(sum[:16])
}

// batchAnswer is the body of a permissive batch's answer.
type batchAnswer struct {
	Data   []struct{ ID string } `json:"data"`
	Errors []struct {
		Index   int    `json:"index"`
		Message string `json:"message"`
	} `json:"errors"`
}

// SplitBatchResponse reads a permissive batch's answer: a 200 whose
// errors list the emails Resend refused, by index. Any other answer
// applies to the whole batch (nil).
func (batcher) SplitBatchResponse(status int, body []byte, n int) []string {
	if status != http.StatusOK {
		return nil
	}
	var a batchAnswer
	if json.Unmarshal(body, &a) != nil || len(a.Errors) == 0 {
		return nil
	}
	out := make([]string, n)
	for _, e := range a.Errors {
		if e.Index >= 0 && e.Index < n {
			out[e.Index] = e.Message
		}
	}
	return out
}

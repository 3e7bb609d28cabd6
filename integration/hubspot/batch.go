package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// maxBatchInputs is the most inputs HubSpot's batch endpoints take.
const maxBatchInputs = 100

// maxBatchBytes bounds a batch request; HubSpot documents no byte limit
// for batch upserts, so this is ours, well under what its servers take.
const maxBatchBytes = 2 << 20

// batcher packs contact upserts, one input each, into one upsert of up to
// 100 inputs. Custom events and tasks are sent one by one.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are HubSpot's 100 inputs per batch.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchInputs, MaxBytes: maxBatchBytes, MaxItemBytes: maxBatchBytes}
}

// upsertBody is a batch upsert's body.
type upsertBody struct {
	Inputs []upsertInput `json:"inputs"`
}

// upsertInput is one contact of a batch upsert.
type upsertInput struct {
	ID         string         `json:"id"`
	IDProperty string         `json:"idProperty,omitempty"`
	Properties map[string]any `json:"properties"`
}

// BatchItem turns a prepared contact upsert of exactly one input, a
// contact named by a string id, into that input. Anything else — another
// endpoint, several inputs, a body that does not parse — is sent on its
// own.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	if req.Method != http.MethodPost || endpointOf(outbound.Path(req)) != endpointContactsUpsert {
		return nil, false
	}
	body, err := req.Object()
	inputs, _ := body["inputs"].([]any)
	if err != nil || len(inputs) != 1 {
		return nil, false
	}
	input, ok := inputs[0].(map[string]any)
	if !ok || !fitsUpsertInput(input) {
		return nil, false
	}
	item, err := json.Marshal(input)
	return item, err == nil
}

// fitsUpsertInput reports whether input reads as an upsertInput with an
// id: BatchRequest merges inputs by it.
func fitsUpsertInput(input map[string]any) bool {
	id, _ := input["id"].(string)
	_, idProperty := input["idProperty"].(string)
	_, properties := input["properties"].(map[string]any)
	return id != "" && (idProperty || input["idProperty"] == nil) && (properties || input["properties"] == nil)
}

// BatchRequest builds one upsert on like's URL and headers (the token)
// carrying the inputs. HubSpot refuses a batch that names one contact
// twice, so inputs for the same contact are merged, in order: a later
// delivery's value of a property wins, as it would had they been sent one
// after the other.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("hubspot batch: no inputs")
	}
	var merged []upsertInput
	index := map[string]int{}
	for i, item := range items {
		var in upsertInput
		if err := json.Unmarshal(item, &in); err != nil {
			return nil, fmt.Errorf("hubspot batch: input %d: %w", i, err)
		}
		key := strings.ToLower(in.IDProperty) + "\x00" + strings.ToLower(strings.TrimSpace(in.ID))
		if at, seen := index[key]; seen {
			maps.Copy(merged[at].Properties, in.Properties)
			continue
		}
		if in.Properties == nil {
			in.Properties = map[string]any{}
		}
		index[key] = len(merged)
		merged = append(merged, in)
	}
	body, err := json.Marshal(upsertBody{Inputs: merged})
	if err != nil {
		return nil, fmt.Errorf("hubspot batch: %w", err)
	}
	return &hookbridge.OutboundRequest{
		Method: http.MethodPost, URL: like.URL, Headers: maps.Clone(like.Headers), Body: body,
	}, nil
}

// SplitBatchResponse returns nil: HubSpot's errors name contacts, not
// places in the batch, and merged inputs have no place of their own, so
// the answer applies to every delivery of the batch.
func (batcher) SplitBatchResponse(int, []byte, int) []string { return nil }

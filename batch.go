package hookbridge

// Batcher is implemented by integrations whose API takes several calls in
// one request (Segment /v1/batch, Customer.io /api/v2/batch). An endpoint
// with Batching on sends the deliveries that are due together as one
// request: each is planned on its own (transformation, Prepare with its own
// idempotency key, Validate), turned into its batch item, and the items are
// packed within BatchLimits.
type Batcher interface {
	// BatchLimits says how much one batch may hold.
	BatchLimits() BatchLimits
	// BatchItem turns a prepared request for one call (Segment
	// /v1/track, Customer.io /api/v2/entity …) into its item in a batch.
	// ok is false when the request cannot go in a batch: another host or
	// path, a batch already, a method other than POST, a body that is not
	// a JSON object.
	BatchItem(req *OutboundRequest) (item []byte, ok bool)
	// BatchRequest builds the request that carries items, to the host and
	// with the headers (authentication) of like, a prepared request one of
	// whose items is among them.
	BatchRequest(like *OutboundRequest, items [][]byte) (*OutboundRequest, error)
	// SplitBatchResponse maps an answer to a batch of n items to each
	// item's own error: nil when the answer is not itemised (its status
	// applies to every item), otherwise n messages where "" means accepted.
	SplitBatchResponse(status int, body []byte, n int) []string
}

// BatchLimits are the bounds of one batch request.
type BatchLimits struct {
	// MaxItems is the most items in one batch.
	MaxItems int
	// MaxBytes bounds the whole request body; MaxItemBytes each item.
	MaxBytes     int
	MaxItemBytes int
}

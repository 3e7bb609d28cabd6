package hookbridge

import "time"

// AnswerReader is implemented by integrations whose API says more in its
// answers than the status code does: an error named in the body, a 200
// that reports a failure (legacy Microsoft Teams connectors), a retry
// delay in a JSON body (Discord's retry_after). The dispatcher and the
// test API read every answer to a request on the integration's hosts
// through it.
type AnswerReader interface {
	// ReadAnswer interprets the answer to req. The zero AnswerReading
	// leaves the answer to be judged by its status code alone.
	ReadAnswer(req *OutboundRequest, a Answer) AnswerReading
}

// Answer is what a destination answered to one request.
type Answer struct {
	Status  int
	Headers map[string]string
	Body    []byte
	// BatchSize is the number of deliveries whose items the request
	// carried when it was a batch (see Batcher); 0 for the request of one
	// delivery. An answer that names refused items means something else
	// for a batch (the others are the deliveries' own affair) than for
	// one delivery's request (the delivery is partly refused).
	BatchSize int
}

// AnswerVerdict overrides how an answer's status code is judged.
type AnswerVerdict int

const (
	// AnswerByStatus judges the answer by its status code.
	AnswerByStatus AnswerVerdict = iota
	// AnswerFailed fails the attempt for good, whatever the status (a 200
	// that reports an error, a 4xx the tool documents as final).
	AnswerFailed
	// AnswerRetry fails the attempt and retries it later.
	AnswerRetry
	// AnswerAccepted takes the attempt as delivered, whatever the status:
	// the tool says it already carried the request out (Loops' 409 for an
	// idempotency key used before, answered to the retry of a request
	// whose first answer was lost), or a batch answer reports the items it
	// refused while the rest were kept (Mixpanel's strict-mode 400); the
	// refused items fail through the Batcher's SplitBatchResponse.
	AnswerAccepted
)

// AnswerReading is what an integration reads in an answer.
type AnswerReading struct {
	Verdict AnswerVerdict
	// Reason names the tool's error ("channel_not_found: the channel was
	// deleted"); it becomes the attempt's error. "" keeps the status.
	Reason string
	// Fix says what the user should change, shown with the reason.
	Fix string
	// RetryAfter is a delay the answer asks for outside the Retry-After
	// header (a JSON body's retry_after); zero if none.
	RetryAfter time.Duration
}

// ReadAnswer is in.ReadAnswer when in is an AnswerReader, and the zero
// reading otherwise.
func ReadAnswer(in Integration, req *OutboundRequest, a Answer) AnswerReading {
	if r, ok := in.(AnswerReader); ok && req != nil {
		return r.ReadAnswer(req, a)
	}
	return AnswerReading{}
}

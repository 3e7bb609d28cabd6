package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Doer sends HTTP requests; *http.Client and the netguard client are Doers.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Sender sends prepared requests and captures what came back.
type Sender struct {
	Client Doer
	// Timeout bounds one request, from connecting to the end of the body.
	Timeout time.Duration
	// UserAgent is sent unless the request sets its own.
	UserAgent string
}

// DefaultTimeout is how long a destination has to answer.
const DefaultTimeout = 15 * time.Second

// Response is what a destination answered, or why it did not.
type Response struct {
	Status   int
	Headers  map[string]string
	Body     string
	Duration time.Duration
	// Err is set when no complete answer arrived (network error, timeout).
	Err error
}

// Send makes one HTTP request. It never returns an error of its own: every
// failure is in Response.Err, so that it is recorded like any other answer.
func (s *Sender) Send(ctx context.Context, req *hookbridge.OutboundRequest) Response {
	return s.SendWithin(ctx, req, s.Timeout)
}

// SendWithin is Send with its own timeout (the endpoint's); zero or less
// means DefaultTimeout.
func (s *Sender) SendWithin(ctx context.Context, req *hookbridge.OutboundRequest, timeout time.Duration) Response {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	start := time.Now()
	httpReq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return Response{Err: fmt.Errorf("build request: %w", err)}
	}
	for k, v := range req.Headers {
		httpReq.Header.Set(k, v)
	}
	if httpReq.Header.Get("User-Agent") == "" && s.UserAgent != "" {
		httpReq.Header.Set("User-Agent", s.UserAgent)
	}
	resp, err := s.Client.Do(httpReq)
	if err != nil {
		return Response{Duration: time.Since(start), Err: describeNetError(ctx, err, timeout)}
	}
	defer resp.Body.Close()
	body, readErr := readBody(resp)
	out := Response{
		Status:   resp.StatusCode,
		Headers:  flattenHeaders(resp.Header),
		Body:     body,
		Duration: time.Since(start),
	}
	if readErr != nil {
		out.Err = fmt.Errorf("read response body: %w", readErr)
	}
	return out
}

// Masked returns the answer with the secrets m hides masked in its headers
// and body, so that nothing quotes them: not the attempt, not the error
// that quotes the start of the body. Err is left as it is (its kind
// decides retries); its text is masked where it is recorded.
func (r Response) Masked(m *hookbridge.Masker) Response {
	r.Headers = m.MaskHeaders(r.Headers)
	r.Body = m.Mask(r.Body)
	return r
}

// drainLimit is how much of a body beyond what is kept is read (and
// counted) so that the connection can be reused; a larger body is cut off
// rather than read to the end.
const drainLimit = 1 << 20

// readBody reads what an attempt keeps of a response body: at most
// hookbridge.MaxRecordedBody bytes, a longer body cut and its size told
// at its end (hookbridge.TruncatedText).
func readBody(resp *http.Response) (string, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, hookbridge.MaxRecordedBody+1))
	if err != nil || len(body) <= hookbridge.MaxRecordedBody {
		return string(body), err
	}
	rest, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	size := max(int64(len(body))+rest, resp.ContentLength)
	return hookbridge.TruncatedText(string(body), hookbridge.MaxRecordedBody, size), nil
}

func describeNetError(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s: %w", timeout, err)
	}
	return err
}

func flattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = strings.Join(v, ", ")
	}
	return out
}

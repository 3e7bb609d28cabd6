package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
)

// DefaultAdmissionWait is how long a transformation run of the API (a
// test, or the check of an endpoint's code) waits to be admitted before
// the call is answered 429 or 503.
const DefaultAdmissionWait = 2 * time.Second

// admissionRetryAfter is the Retry-After of a call whose run was not
// admitted: about one run's time limit.
const admissionRetryAfter = time.Second

// validateCodeAdmitted validates ep's code (validateCode): its check runs
// the code's top level, as a run of ep's app once admitted. Code that has
// not changed was checked when it was stored, so a change to other fields
// (disabling the endpoint, say) neither runs it again nor waits for the
// app's runs.
func (s *Server) validateCodeAdmitted(ctx context.Context, ep *hookbridge.Endpoint, info hookbridge.IntegrationInfo,
	changed bool, verr *hookbridge.ValidationError) error {
	hasCode := strings.TrimSpace(ep.Transformation.Code) != ""
	if hasCode && !changed {
		return nil
	}
	if hasCode {
		done, err := s.admission.Admit(ctx, ep.AppID, ep.ID, s.admissionWait)
		if err != nil {
			return err
		}
		defer done()
	}
	s.validateCode(ep, info, verr)
	return nil
}

// notAdmitted turns an admission.BusyError into its answer, and returns
// other errors as they are: 429 when the app's own runs (of all its
// endpoints, or of this one) held the run back, 503 when the server's
// did; both with Retry-After.
func notAdmitted(rw http.ResponseWriter, err error) error {
	var busy *admission.BusyError
	if !errors.As(err, &busy) {
		return err
	}
	seconds := int(admissionRetryAfter / time.Second)
	rw.Header().Set("Retry-After", strconv.Itoa(seconds))
	status, code := http.StatusServiceUnavailable, "transformations_busy"
	if busy.Limit == admission.LimitApp || busy.Limit == admission.LimitLane {
		status, code = http.StatusTooManyRequests, "too_many_transformations"
	}
	return errorf(status, code, "%s; retry in %d s", busy.Error(), seconds)
}

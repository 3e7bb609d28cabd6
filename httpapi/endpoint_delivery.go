package httpapi

import (
	"context"
	"regexp"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
)

// deliveryOptionsInput holds the fields of an endpoint's body that tune how
// its deliveries are made. Pointers tell "absent" (keep) from "zero" (set).
type deliveryOptionsInput struct {
	Burst          *int           `json:"burst"`
	TimeoutSeconds *int           `json:"timeout_seconds"`
	Batching       *bool          `json:"batching"`
	Ordering       *orderingInput `json:"ordering"`
}

type orderingInput struct {
	Enabled *bool   `json:"enabled"`
	KeyPath *string `json:"key_path"`
}

// apply sets the given fields on ep.
func (in deliveryOptionsInput) apply(ep *hookbridge.Endpoint) {
	setIf(&ep.Burst, in.Burst)
	setIf(&ep.TimeoutSeconds, in.TimeoutSeconds)
	setIf(&ep.Batching, in.Batching)
	if in.Ordering != nil {
		setIf(&ep.Ordering.Enabled, in.Ordering.Enabled)
		setIf(&ep.Ordering.KeyPath, in.Ordering.KeyPath)
	}
}

const maxKeyPathLen = 200

// keyPathPattern is a dotted path of JSON member names: letters, digits,
// '_' and '-' between the dots.
var keyPathPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// validateDeliveryOptions checks burst, timeout_seconds, batching and
// ordering.
func (s *Server) validateDeliveryOptions(ep *hookbridge.Endpoint, verr *hookbridge.ValidationError) {
	if ep.Burst < 0 || ep.Burst > maxRateLimit {
		verr.Add("burst", "must be between 0 (one at a time) and %d requests", maxRateLimit)
	}
	maxTimeout := int(delivery.MaxEndpointTimeout / time.Second)
	if ep.TimeoutSeconds < 0 || ep.TimeoutSeconds > maxTimeout {
		verr.Add("timeout_seconds", "must be between 1 and %d seconds, or 0 for the server's default", maxTimeout)
	}
	if ep.Batching {
		integ, ok := s.integrations.Get(ep.Integration)
		if _, batches := integ.(hookbridge.Batcher); ok && !batches {
			verr.Add("batching", "%s does not take batches; batching works with integrations whose API does (Segment, Customer.io)", integ.Info().Name)
		}
	}
	if path := ep.Ordering.KeyPath; path != "" && (len(path) > maxKeyPathLen || !keyPathPattern.MatchString(path)) {
		verr.Add("ordering.key_path", "must be a dotted path into the event, such as %s", hookbridge.DefaultOrderingKeyPath)
	}
}

// recoveryOffer tells whoever re-enables an endpoint what it missed while
// it was failing or disabled, and the call that has it sent.
type recoveryOffer struct {
	// Since is when the endpoint began failing, or was disabled.
	Since time.Time `json:"since"`
	// Failed counts its deliveries that failed since then; Missed the
	// messages it never got while disabled.
	Failed int `json:"failed"`
	Missed int `json:"missed"`
	// Recover is the call that queues them all.
	Recover recoverCall `json:"recover"`
}

type recoverCall struct {
	Method string       `json:"method"`
	Path   string       `json:"path"`
	Body   recoverInput `json:"body"`
}

// recoveryOfferFor describes what the endpoint, as it was before being
// re-enabled, missed.
func (s *Server) recoveryOfferFor(ctx context.Context, before *hookbridge.Endpoint) (*recoveryOffer, error) {
	since := before.UpdatedAt
	for _, t := range []*time.Time{before.FailingSince, before.DisabledAt} {
		if t != nil && t.Before(since) {
			since = *t
		}
	}
	since = since.UTC()
	counts, err := s.store.CountRecoverable(ctx, before.AppID, before.ID, since, s.now().UTC())
	if err != nil {
		return nil, err
	}
	return &recoveryOffer{
		Since: since, Failed: counts.Failed, Missed: counts.Missed,
		Recover: recoverCall{
			Method: "POST",
			Path:   "/api/v1/apps/" + before.AppID + "/endpoints/" + before.ID + "/recover",
			Body:   recoverInput{Since: since},
		},
	}, nil
}

package webhook

import (
	"net/http"

	"github.com/hookbridge/hookbridge"
)

var _ hookbridge.AnswerReader = (*Integration)(nil)

// ReadAnswer explains a 401 or 403: the receiver refused the request's
// authentication, which for a plain webhook is its signature (the signing
// secret) or a secret header.
func (in *Integration) ReadAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if a.Status != http.StatusUnauthorized && a.Status != http.StatusForbidden {
		return hookbridge.AnswerReading{}
	}
	return hookbridge.AnswerReading{
		Reason: "the receiver refused the request's authentication",
		Fix: "check that it verifies signatures with this endpoint's signing secret (copy it again, or rotate it) " +
			"and that the endpoint's secret headers hold what it expects",
	}
}

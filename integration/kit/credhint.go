package kit

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// credentialHint is the reading of a 401 or 403 that the spec's own
// reading leaves unexplained, from a tool the kit authenticates to: the
// tool refused the credentials, and the fields to check are named, as the
// source documents' first troubleshooting step says. (A tool whose URL
// carries the token reads its own 401s and 403s: a 403 there is as often
// a proxy's ban as a bad URL.)
func (in *Integration) credentialHint(a hookbridge.Answer) hookbridge.AnswerReading {
	if in.spec.Auth == nil || a.Status != http.StatusUnauthorized && a.Status != http.StatusForbidden {
		return hookbridge.AnswerReading{}
	}
	fields := in.credentialLabels()
	if len(fields) == 0 {
		return hookbridge.AnswerReading{}
	}
	what := "refused the credentials"
	if a.Status == http.StatusForbidden {
		what = "accepted the credentials but refused this request with them (a key without the permission it needs, or for another workspace)"
	}
	return hookbridge.AnswerReading{
		Reason: fmt.Sprintf("%s %s", in.spec.Name, what),
		Fix:    fmt.Sprintf("check the endpoint's credentials: %s", strings.Join(fields, ", ")),
	}
}

// credentialLabels names the credentials a user fills in, as the form
// shows them.
func (in *Integration) credentialLabels() []string {
	var out []string
	for _, f := range in.spec.Credentials {
		if f.Hidden || len(f.Choices) > 0 {
			continue
		}
		out = append(out, f.Label)
	}
	return out
}

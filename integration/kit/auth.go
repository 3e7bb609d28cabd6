package kit

import (
	"fmt"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// Auth adds a tool's authentication to a request on its hosts. A missing
// credential adds nothing: Validate and the tool's 401 say so.
type Auth func(req *hookbridge.OutboundRequest, creds hookbridge.Credentials) error

// Basic authenticates with HTTP Basic: the user is the credential
// userField, the password passwordField's ("" for none, as Segment's write
// key). As for every Auth, a missing credential adds nothing: the user, or
// the password when passwordField names one (Customer.io's Site ID
// without its API key).
func Basic(userField, passwordField string) Auth {
	return func(req *hookbridge.OutboundRequest, creds hookbridge.Credentials) error {
		user := creds[userField]
		if user == "" {
			return nil
		}
		password := ""
		if passwordField != "" {
			password = creds[passwordField]
			if password == "" {
				return nil
			}
		}
		req.SetHeader("Authorization", outbound.BasicAuth(user, password))
		return nil
	}
}

// Bearer authenticates with Authorization: Bearer and the credential
// field.
func Bearer(field string) Auth {
	return Header("Authorization", "Bearer ", field)
}

// Header sets the header name to prefix and the credential field.
func Header(name, prefix, field string) Auth {
	return func(req *hookbridge.OutboundRequest, creds hookbridge.Credentials) error {
		v := creds[field]
		if v == "" {
			return nil
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("credential %s holds a line break", field)
		}
		req.SetHeader(name, prefix+v)
		return nil
	}
}

package signing

import (
	"fmt"
	"net/http"
	"strings"
)

// The Standard Webhooks headers.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// The names senders that use Svix may give the same three headers. The Svix
// libraries verify them as the same scheme, with the same values.
const (
	HeaderSvixID        = "svix-id"
	HeaderSvixTimestamp = "svix-timestamp"
	HeaderSvixSignature = "svix-signature"
)

// Headers are the three values a signature covers, as a request carries
// them.
type Headers struct {
	ID        string
	Timestamp string
	Signature string
}

// ReadHeaders returns the signature headers of h. Each is read under its
// Standard Webhooks name (webhook-id, webhook-timestamp, webhook-signature)
// and, when that is absent or empty, under its Svix alias (svix-id,
// svix-timestamp, svix-signature). When a request carries both names of a
// header, the webhook-* one wins. A value of only spaces counts as absent.
//
// Each header is resolved on its own, as the Svix JavaScript library does
// (it reads each alias separately too, but prefers svix-*). The Standard
// Webhooks libraries read only webhook-*, and the preference follows them.
// Where both names carry the same value the preference changes nothing; it
// decides only for a request whose two sets disagree, and the signature
// must still verify over the values chosen.
func ReadHeaders(h http.Header) Headers {
	return Headers{
		ID:        headerOrAlias(h, HeaderID, HeaderSvixID),
		Timestamp: headerOrAlias(h, HeaderTimestamp, HeaderSvixTimestamp),
		Signature: headerOrAlias(h, HeaderSignature, HeaderSvixSignature),
	}
}

func headerOrAlias(h http.Header, name, alias string) string {
	if v := h.Get(name); strings.TrimSpace(v) != "" {
		return v
	}
	return h.Get(alias)
}

// checkPresent returns ErrMissingHeaders naming each header that is empty.
func (sh Headers) checkPresent() error {
	var missing []string
	for _, v := range []struct{ value, name, alias string }{
		{sh.ID, HeaderID, HeaderSvixID},
		{sh.Timestamp, HeaderTimestamp, HeaderSvixTimestamp},
		{sh.Signature, HeaderSignature, HeaderSvixSignature},
	} {
		if strings.TrimSpace(v.value) == "" {
			missing = append(missing, v.name+" (or "+v.alias+")")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrMissingHeaders, strings.Join(missing, ", "))
	}
	return nil
}

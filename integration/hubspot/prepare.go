package hubspot

import (
	"fmt"
	"regexp"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// endpoint is what a HubSpot API path does, of those hookbridge knows.
type endpoint int

const (
	endpointOther endpoint = iota
	// endpointContactsUpsert is POST …/contacts/batch/upsert.
	endpointContactsUpsert
	// endpointEventSend is POST /events/v3/send (one custom event).
	endpointEventSend
	// endpointTaskCreate is POST …/objects/tasks (one task).
	endpointTaskCreate
)

// HubSpot serves each API under v3 and under a dated version
// (/crm/objects/2026-03/…); both are recognised.
var (
	contactsUpsertPath = regexp.MustCompile(`^/crm/(v3/objects|objects/\d{4}-\d{2})/contacts/batch/upsert/?$`)
	eventSendPath      = regexp.MustCompile(`^/events/(v3|\d{4}-\d{2})/send/?$`)
	taskCreatePath     = regexp.MustCompile(`^/crm/(v3/objects|objects/\d{4}-\d{2})/tasks/?$`)
)

// endpointOf tells the endpoint of a URL path.
func endpointOf(path string) endpoint {
	switch {
	case contactsUpsertPath.MatchString(path):
		return endpointContactsUpsert
	case eventSendPath.MatchString(path):
		return endpointEventSend
	case taskCreatePath.MatchString(path):
		return endpointTaskCreate
	}
	return endpointOther
}

// prepare gives a custom event whose uuid is missing, null or "" one
// derived from the idempotency key: HubSpot identifies an event occurrence by it, so that a
// retried delivery names the same occurrence. Contact upserts need nothing:
// setting the same properties again changes nothing. A body that is not a
// JSON object is left for Validate to report.
func prepare(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	if endpointOf(outbound.Path(req)) != endpointEventSend || sc.IdempotencyKey == "" {
		return nil
	}
	if _, err := req.Object(); err != nil {
		return nil
	}
	if _, err := req.SetStringIfMissing("uuid", kit.UUIDFromKey(sc.IdempotencyKey)); err != nil {
		return fmt.Errorf("hubspot: add the event's uuid: %w", err)
	}
	return nil
}

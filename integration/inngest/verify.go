package inngest

import "github.com/hookbridge/hookbridge/integration/kit"

// verify says why the event key cannot be checked: the Event API's only
// call is sending an event, which runs the functions it triggers; reads
// use the signing key, which hookbridge does not hold.
var verify = &kit.Verify{
	CannotCheck: "Inngest's event key is taken only by the Event API, whose one call sends an event (and runs the functions it triggers); " +
		"its read APIs need the signing key, which hookbridge does not hold",
}

package amplitude

import "github.com/hookbridge/hookbridge/integration/kit"

// verify says why the API key cannot be checked harmlessly: Amplitude's
// ingestion APIs take the key in the body of an upload, and every read
// (Dashboard REST, Export) needs the project's secret key besides, which
// hookbridge does not ask for.
var verify = &kit.Verify{
	CannotCheck: "Amplitude takes the API key only in event uploads (which record the events), " +
		"and its read APIs need the project's secret key as well, which hookbridge does not hold",
}

package segment

import "github.com/hookbridge/hookbridge/integration/kit"

// verify says why a write key cannot be checked: Segment's Tracking API
// is its only API that takes a write key, every call of it records data
// (identify, track, batch …), and it answers 200 to a request with an
// unknown write key, so even a sent event would not tell.
var verify = &kit.Verify{
	CannotCheck: "Segment's Tracking API is the only one that takes a write key; each of its calls records data, " +
		"and it answers 200 even to an unknown write key, so no call tells a good key from a wrong one. " +
		"Check the source's Debugger in Segment after a test event",
}

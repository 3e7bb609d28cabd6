package builtin

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/amplitude"
	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/segment"
	"github.com/hookbridge/hookbridge/integration/webhook"
)

// All returns a new instance of every built-in integration, in display
// order.
func All() []hookbridge.Integration {
	return []hookbridge.Integration{
		webhook.New(),
		customerio.New(),
		segment.New(),
		mixpanel.New(),
		amplitude.New(),
	}
}

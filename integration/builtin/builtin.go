package builtin

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/inngest"
	makecom "github.com/hookbridge/hookbridge/integration/make"
	"github.com/hookbridge/hookbridge/integration/n8n"
	"github.com/hookbridge/hookbridge/integration/pipedream"
	"github.com/hookbridge/hookbridge/integration/segment"
	"github.com/hookbridge/hookbridge/integration/webhook"
	"github.com/hookbridge/hookbridge/integration/windmill"
	"github.com/hookbridge/hookbridge/integration/zapier"
)

// All returns a new instance of every built-in integration, in display
// order.
func All() []hookbridge.Integration {
	return []hookbridge.Integration{
		webhook.New(),
		customerio.New(),
		segment.New(),
		// Automation
		zapier.New(),
		makecom.New(),
		n8n.New(),
		pipedream.New(),
		windmill.New(),
		inngest.New(),
	}
}

package builtin

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/amplitude"
	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/hubspot"
	"github.com/hookbridge/hookbridge/integration/inngest"
	"github.com/hookbridge/hookbridge/integration/loops"
	makecom "github.com/hookbridge/hookbridge/integration/make"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/n8n"
	"github.com/hookbridge/hookbridge/integration/pipedream"
	"github.com/hookbridge/hookbridge/integration/posthog"
	"github.com/hookbridge/hookbridge/integration/resend"
	"github.com/hookbridge/hookbridge/integration/segment"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/teams"
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
		posthog.New(),
		mixpanel.New(),
		amplitude.New(),
		hubspot.New(),
		resend.New(),
		sendgrid.New(),
		loops.New(),
		slack.New(),
		discord.New(),
		teams.New(),
		zapier.New(),
		makecom.New(),
		n8n.New(),
		pipedream.New(),
		windmill.New(),
		inngest.New(),
	}
}

package discord

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// templates are the built-in handlers; each lists every event type it
// posts a message for.
var templates = []kit.Template{
	{
		File: "templates/payments.js",
		Template: hookbridge.Template{
			ID:          "payments",
			Name:        "Payments",
			Description: "An embed per payment: green when it succeeds, red when it fails, blue while it is processing, grey when it is cancelled; the amount in the currency's own units.",
			EventTypes:  []string{"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"},
		},
	},
	{
		File: "templates/subscriptions.js",
		Template: hookbridge.Template{
			ID:          "subscriptions",
			Name:        "Subscriptions",
			Description: "An embed per change of a subscription: started, renewed, resumed (green); on hold, paused (yellow); failed, expired (red); cancelled (grey); plan, details or payment method changed (blue).",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.unpaused",
				"subscription.on_hold", "subscription.paused",
				"subscription.failed", "subscription.expired", "subscription.cancelled",
				"subscription.plan_changed", "subscription.updated", "subscription.update_payment_method",
			},
		},
	},
	{
		File: "templates/refunds.js",
		Template: hookbridge.Template{
			ID:          "refunds",
			Name:        "Refunds",
			Description: "An embed per refund: purple when it is paid back, red when it fails, with the amount, whether it is partial, and the reason.",
			EventTypes:  []string{"refund.succeeded", "refund.failed"},
		},
	},
	{
		File: "templates/disputes.js",
		Template: hookbridge.Template{
			ID:          "disputes",
			Name:        "Disputes",
			Description: "An embed per step of a dispute: opened and challenged (orange), won (green), lost and accepted (red), expired and cancelled (grey), with the amount at stake and the remarks.",
			EventTypes: []string{
				"dispute.opened", "dispute.challenged", "dispute.won", "dispute.lost",
				"dispute.accepted", "dispute.expired", "dispute.cancelled",
			},
		},
	},
}

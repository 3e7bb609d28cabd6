package teams

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
			Description: "An Adaptive Card per payment: a headline coloured by its outcome and a FactSet of amount (in the currency's own units), customer, method and reason.",
			EventTypes:  []string{"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"},
		},
	},
	{
		File: "templates/subscriptions.js",
		Template: hookbridge.Template{
			ID:          "subscriptions",
			Name:        "Subscriptions",
			Description: "An Adaptive Card per change of a subscription: a headline coloured by what it means (good, warning, attention, neutral) and a FactSet of customer, recurring amount, product and next billing date.",
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
			Description: "An Adaptive Card per refund: paid back or failed, with a FactSet of amount, whether it is partial, customer, payment and reason.",
			EventTypes:  []string{"refund.succeeded", "refund.failed"},
		},
	},
	{
		File: "templates/disputes.js",
		Template: hookbridge.Template{
			ID:          "disputes",
			Name:        "Disputes",
			Description: "An Adaptive Card per step of a dispute: a headline coloured by what it means, with a FactSet of the amount at stake, payment, stage and remarks.",
			EventTypes: []string{
				"dispute.opened", "dispute.challenged", "dispute.won", "dispute.lost",
				"dispute.accepted", "dispute.expired", "dispute.cancelled",
			},
		},
	},
}

package amplitude

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// templates are the ready transformations, each listing every event type
// it handles.
var templates = []kit.Template{
	{File: "templates/payment-events.js", Template: hookbridge.Template{
		ID: "payment-events", Name: "Payment events",
		Description: "Sends Payment Completed (with revenue), Payment Failed, Payment Processing and Payment Cancelled, amounts in the currency's own units.",
		EventTypes:  []string{"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"},
	}},
	{File: "templates/subscription-events.js", Template: hookbridge.Template{
		ID: "subscription-events", Name: "Subscription lifecycle",
		Description: "Sends one event per subscription change: started, renewed, on hold, paused, resumed, cancelled, failed, expired, plan changed, updated, payment method updated.",
		EventTypes: []string{
			"subscription.active", "subscription.renewed", "subscription.on_hold", "subscription.paused",
			"subscription.unpaused", "subscription.cancelled", "subscription.failed", "subscription.expired",
			"subscription.plan_changed", "subscription.updated", "subscription.update_payment_method",
		},
	}},
	{File: "templates/refund-events.js", Template: hookbridge.Template{
		ID: "refund-events", Name: "Refunds",
		Description: "Sends Refund Issued (negative revenue, revenueType refund) and Refund Failed, amounts in the currency's own units.",
		EventTypes:  []string{"refund.succeeded", "refund.failed"},
	}},
	{File: "templates/dispute-events.js", Template: hookbridge.Template{
		ID: "dispute-events", Name: "Disputes",
		Description: "Sends one event per dispute stage: opened, expired, accepted, cancelled, challenged, won, lost. Disputes carry no customer: the payment id stands as the device_id.",
		EventTypes: []string{
			"dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
			"dispute.challenged", "dispute.won", "dispute.lost",
		},
	}},
}

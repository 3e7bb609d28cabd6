package segment

import (
	"embed"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// templateFiles holds the handlers; those under docs/ are the source
// documents' examples, byte for byte.
//
//go:embed templates/*.js templates/docs/*.js
var templateFiles embed.FS

// templateSpecs are the templates, their code in templateFiles.
var templateSpecs = []kit.Template{
	{
		File: "templates/payment-events.js",
		Template: hookbridge.Template{
			ID:          "payment-events",
			Name:        "Payment events",
			Description: "Tracks Payment Completed (with revenue) and Payment Failed, amounts in the currency's own units.",
			EventTypes:  []string{"payment.succeeded", "payment.failed"},
		},
	},
	{
		File: "templates/subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "subscription-lifecycle",
			Name:        "Subscription lifecycle",
			Description: "Tracks Subscription Started, Renewed, On Hold, Failed, Expired and Cancelled.",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.on_hold",
				"subscription.failed", "subscription.expired", "subscription.cancelled",
			},
		},
	},
	{
		File: "templates/identify-customer.js",
		Template: hookbridge.Template{
			ID:          "identify-customer",
			Name:        "Identify customer",
			Description: "Updates the customer's traits (email, name, phone, address, last payment) after each successful payment.",
			EventTypes:  []string{"payment.succeeded"},
		},
	},
	{
		File: "templates/docs/segment-payment-succeeded.js",
		Template: hookbridge.Template{
			ID:          "docs-payment-events",
			Name:        "Payment events (from the documentation)",
			Description: "The documentation's example, unchanged: tracks Payment Completed. Its amount divides by 100, which is wrong for currencies such as JPY or KWD, and is sent as text, which destinations do not sum.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
	{
		File: "templates/docs/segment-subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "docs-subscription-lifecycle",
			Name:        "Subscription lifecycle (from the documentation)",
			Description: "The documentation's example, unchanged: tracks Subscription Started and Subscription Cancelled, with the amount as text.",
			EventTypes:  []string{"subscription.active", "subscription.cancelled"},
			FromDocs:    true,
		},
	},
	{
		File: "templates/docs/segment-identify-customer.js",
		Template: hookbridge.Template{
			ID:          "docs-identify-customer",
			Name:        "Identify customer (from the documentation)",
			Description: "The documentation's example, unchanged: sets the customer's traits after each payment — total_spent is the last payment, as text, and customer_since is overwritten on every payment.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
}

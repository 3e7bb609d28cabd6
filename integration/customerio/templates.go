package customerio

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
		File: "templates/payment-completed.js",
		Template: hookbridge.Template{
			ID:          "payment-completed",
			Name:        "Payment completed event",
			Description: "Tracks each successful payment as a payment_completed event on the customer, with amount (a number in the currency's units), currency and method, timestamped with the payment's time, to trigger campaigns. Set USE_SEND_TIME = true to stamp it on arrival instead, so that late deliveries still trigger campaigns.",
			EventTypes:  []string{"payment.succeeded"},
		},
	},
	{
		File: "templates/subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "subscription-lifecycle",
			Name:        "Subscription lifecycle events",
			Description: "Tracks subscription starts and cancellations as subscription_started and subscription_cancelled events, timestamped with the event's time (USE_SEND_TIME = true stamps them on arrival instead).",
			EventTypes:  []string{"subscription.active", "subscription.cancelled"},
		},
	},
	{
		File: "templates/customer-attributes.js",
		Template: hookbridge.Template{
			ID:          "customer-attributes",
			Name:        "Customer attributes",
			Description: "Updates the customer's profile (name, email, last payment as a number and a unix time) after each successful payment, timestamped so that the newest payment wins however deliveries are ordered.",
			EventTypes:  []string{"payment.succeeded"},
		},
	},
	{
		File: "templates/docs/customerio-payment-succeeded.js",
		Template: hookbridge.Template{
			ID:          "docs-payment-tracking",
			Name:        "Payment tracking (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io rejects its action \"payment_completed\" with 400: use \"Payment completed event\" instead.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
	{
		File: "templates/docs/customerio-subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "docs-subscription-lifecycle",
			Name:        "Subscription lifecycle (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io rejects its actions \"subscription_started\" and \"subscription_cancelled\" with 400: use \"Subscription lifecycle events\" instead.",
			EventTypes:  []string{"subscription.active", "subscription.cancelled"},
			FromDocs:    true,
		},
	},
	{
		File: "templates/docs/customerio-customer-attributes.js",
		Template: hookbridge.Template{
			ID:          "docs-customer-attributes",
			Name:        "Customer attributes (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io accepts it, but ignores its name, stores total_spent (the last payment, not a total) as text, and customer_since and last_payment_date as ISO text that timestamp segments cannot match (customer_since overwritten on every payment); without a timestamp, reordered deliveries can leave an older payment's values. Use \"Customer attributes\" instead.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
}

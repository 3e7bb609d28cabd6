package customerio

import (
	"embed"

	"github.com/hookbridge/hookbridge"
)

// templateFiles holds the handlers; those under docs/ are the source
// documents' examples, byte for byte.
//
//go:embed templates/*.js templates/docs/*.js
var templateFiles embed.FS

// templateSpec is a template whose code lives in templateFiles.
type templateSpec struct {
	hookbridge.Template
	file string
}

var templateSpecs = []templateSpec{
	{
		file: "templates/payment-completed.js",
		Template: hookbridge.Template{
			ID:          "payment-completed",
			Name:        "Payment completed event",
			Description: "Tracks each successful payment as a payment_completed event on the customer, with amount (a number in the currency's units), currency and method, timestamped with the payment's time, to trigger campaigns. Set USE_SEND_TIME = true to stamp it on arrival instead, so that late deliveries still trigger campaigns.",
			EventTypes:  []string{"payment.succeeded"},
		},
	},
	{
		file: "templates/subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "subscription-lifecycle",
			Name:        "Subscription lifecycle events",
			Description: "Tracks subscription starts and cancellations as subscription_started and subscription_cancelled events, timestamped with the event's time (USE_SEND_TIME = true stamps them on arrival instead).",
			EventTypes:  []string{"subscription.active", "subscription.cancelled"},
		},
	},
	{
		file: "templates/customer-attributes.js",
		Template: hookbridge.Template{
			ID:          "customer-attributes",
			Name:        "Customer attributes",
			Description: "Updates the customer's profile (name, email, last payment as a number and a unix time) after each successful payment, timestamped so that the newest payment wins however deliveries are ordered.",
			EventTypes:  []string{"payment.succeeded"},
		},
	},
	{
		file: "templates/docs/customerio-payment-succeeded.js",
		Template: hookbridge.Template{
			ID:          "docs-payment-tracking",
			Name:        "Payment tracking (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io rejects its action \"payment_completed\" with 400: use \"Payment completed event\" instead.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
	{
		file: "templates/docs/customerio-subscription-lifecycle.js",
		Template: hookbridge.Template{
			ID:          "docs-subscription-lifecycle",
			Name:        "Subscription lifecycle (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io rejects its actions \"subscription_started\" and \"subscription_cancelled\" with 400: use \"Subscription lifecycle events\" instead.",
			EventTypes:  []string{"subscription.active", "subscription.cancelled"},
			FromDocs:    true,
		},
	},
	{
		file: "templates/docs/customerio-customer-attributes.js",
		Template: hookbridge.Template{
			ID:          "docs-customer-attributes",
			Name:        "Customer attributes (from the documentation)",
			Description: "The documentation's example, unchanged. Customer.io accepts it, but ignores its name, stores total_spent (the last payment, not a total) as text, and customer_since and last_payment_date as ISO text that timestamp segments cannot match (customer_since overwritten on every payment); without a timestamp, reordered deliveries can leave an older payment's values. Use \"Customer attributes\" instead.",
			EventTypes:  []string{"payment.succeeded"},
			FromDocs:    true,
		},
	},
}

// templates loads the templates' code. A missing file is a build mistake
// that the package's tests catch, so it panics.
func templates() []hookbridge.Template {
	out := make([]hookbridge.Template, len(templateSpecs))
	for i, spec := range templateSpecs {
		code, err := templateFiles.ReadFile(spec.file)
		if err != nil {
			panic("customerio: embedded template missing: " + err.Error())
		}
		out[i] = spec.Template
		out[i].EventTypes = append([]string(nil), spec.EventTypes...)
		out[i].Code = string(code)
	}
	return out
}

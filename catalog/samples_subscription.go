package catalog

func subscriptionDefinitions() []definition {
	return []definition{
		{
			name:        "subscription.active",
			description: "Sent when a subscription starts, once its first payment has succeeded or its trial has begun.",
			businessID:  acmeBusiness,
			at:          "2025-08-04T05:30:46.201733Z",
			data:        janeSubscriptionActive(),
		},
		{
			name:        "subscription.renewed",
			description: "Sent when a subscription is charged for a new billing period and continues.",
			businessID:  acmeBusiness,
			at:          "2025-09-04T05:30:19.040267Z",
			data:        janeSubscriptionRenewed(),
		},
		{
			name:        "subscription.on_hold",
			description: "Sent when a renewal payment fails and the subscription is put on hold until the customer pays.",
			businessID:  acmeBusiness,
			at:          "2025-10-04T05:30:21.773905Z",
			data:        janeSubscriptionOnHold(),
		},
		{
			name:        "subscription.paused",
			description: "Sent when a subscription is paused and stops billing until it is resumed.",
			businessID:  acmeBusiness,
			at:          "2025-10-20T16:08:44.735102Z",
			data:        janeSubscriptionPaused(),
		},
		{
			name:        "subscription.unpaused",
			description: "Sent when a paused subscription is resumed and billing starts again.",
			businessID:  acmeBusiness,
			at:          "2025-10-27T08:52:13.318846Z",
			data:        janeSubscriptionUnpaused(),
		},
		{
			name:        "subscription.cancelled",
			description: "Sent when a subscription is cancelled, by the customer or the merchant, and will not renew.",
			businessID:  acmeBusiness,
			at:          "2025-11-20T18:42:07.561930Z",
			data:        janeSubscriptionCancelled(),
		},
		{
			name:        "subscription.failed",
			description: "Sent when a subscription cannot start because its first payment or mandate failed.",
			businessID:  acmeBusiness,
			at:          "2025-08-07T11:02:39.206658Z",
			data:        lenaSubscriptionFailed(),
		},
		{
			name:        "subscription.expired",
			description: "Sent when a subscription reaches the end of its fixed term and ends.",
			businessID:  acmeBusiness,
			at:          "2026-08-01T00:00:04.582217Z",
			data:        harutoSubscriptionExpired(),
		},
		{
			name:        "subscription.plan_changed",
			description: "Sent when a subscription moves to another product, quantity or set of add-ons, as in an upgrade or a downgrade.",
			businessID:  acmeBusiness,
			at:          "2025-10-15T13:27:55.904718Z",
			data:        janeSubscriptionPlanChanged(),
		},
		{
			name:        "subscription.updated",
			description: "Sent when any field of a subscription changes, such as its metadata or whether it cancels at the next billing date.",
			businessID:  acmeBusiness,
			at:          "2025-10-10T09:15:31.662049Z",
			data:        janeSubscriptionUpdated(),
		},
		{
			name:        "subscription.update_payment_method",
			description: "Sent when the customer replaces the payment method used for a subscription's renewals.",
			businessID:  acmeBusiness,
			at:          "2025-10-06T19:03:48.127390Z",
			data:        janeSubscriptionPaymentMethodUpdated(),
		},
	}
}

// janeSubscriptionActive is Jane's Pro plan as it starts: 29.99 USD a month
// before tax, renewing for up to ten years. The other subscription samples
// are this one at later moments.
func janeSubscriptionActive() Subscription {
	return Subscription{
		SubscriptionID:             janeSubscription,
		ProductID:                  proPlan,
		BrandID:                    acmeBrand,
		Status:                     SubscriptionActive,
		Customer:                   jane(),
		Billing:                    janeBilling(),
		Currency:                   "USD",
		RecurringPreTaxAmount:      2999,
		Quantity:                   1,
		TaxInclusive:               false,
		CancelAtNextBillingDate:    false,
		OnDemand:                   false,
		CreatedAt:                  mustTime("2025-08-04T05:29:58.118402Z"),
		PreviousBillingDate:        mustTime("2025-08-04T05:30:12.407113Z"),
		NextBillingDate:            mustTime("2025-09-04T05:30:12.407113Z"),
		PaymentFrequencyCount:      1,
		PaymentFrequencyInterval:   Month,
		SubscriptionPeriodCount:    10,
		SubscriptionPeriodInterval: Year,
		TrialPeriodDays:            0,
		Addons:                     []AddonCartItem{},
		Meters:                     []MeterCartItem{},
		CreditEntitlementCart:      []CreditEntitlementCartItem{},
		MeterCreditEntitlementCart: []MeterCreditEntitlementCartItem{},
		PaymentMethodID:            new(janeCard),
		Metadata:                   Metadata{"plan": "pro", "signup_source": "pricing_page"},
	}
}

// billedFrom moves a subscription's billing period to start at previous and
// end at next.
func billedFrom(s Subscription, previous, next string) Subscription {
	s.PreviousBillingDate = mustTime(previous)
	s.NextBillingDate = mustTime(next)
	return s
}

func janeSubscriptionRenewed() Subscription {
	return billedFrom(janeSubscriptionActive(),
		"2025-09-04T05:30:14.552081Z", "2025-10-04T05:30:14.552081Z")
}

// janeSubscriptionOnHold is Jane's plan after the October renewal failed
// (see payment.failed and dunning.started).
func janeSubscriptionOnHold() Subscription {
	s := janeSubscriptionRenewed()
	s.Status = SubscriptionOnHold
	return s
}

// janeSubscriptionPaymentMethodUpdated is Jane replacing the declined card
// while the subscription is on hold.
func janeSubscriptionPaymentMethodUpdated() Subscription {
	s := janeSubscriptionOnHold()
	s.PaymentMethodID = new("pm_6Lb9Wq3Kx7Tn2Rm5Vh8Jc")
	return s
}

// janeSubscriptionRecovered is Jane's plan after the retried renewal
// succeeded on 7 October, which moved the billing period.
func janeSubscriptionRecovered() Subscription {
	s := billedFrom(janeSubscriptionPaymentMethodUpdated(),
		"2025-10-07T05:31:02.614380Z", "2025-11-07T05:31:02.614380Z")
	s.Status = SubscriptionActive
	return s
}

// janeSubscriptionUpdated is Jane scheduling her cancellation for the end of
// the period, while the merchant's CRM tagged the subscription.
func janeSubscriptionUpdated() Subscription {
	s := janeSubscriptionRecovered()
	s.CancelAtNextBillingDate = true
	s.Metadata = Metadata{"plan": "pro", "signup_source": "pricing_page", "crm_contact_id": "hs-48213"}
	return s
}

// janeSubscriptionPlanChanged is Jane upgrading to five seats of the Team
// plan (19.99 USD a seat) with the priority-support add-on, for her company.
func janeSubscriptionPlanChanged() Subscription {
	s := janeSubscriptionRecovered()
	s.ProductID = teamPlan
	s.Quantity = 5
	s.RecurringPreTaxAmount = 9995
	s.Addons = []AddonCartItem{{AddonID: prioritySupportAddon, Quantity: 1}}
	s.CustomerBusinessName = new("Doe Analytics LLC")
	s.Metadata = Metadata{"plan": "team", "signup_source": "pricing_page"}
	return s
}

func janeSubscriptionPaused() Subscription {
	s := janeSubscriptionRecovered()
	s.Status = SubscriptionPaused
	s.PausedAt = new(mustTime("2025-10-20T16:08:44.209731Z"))
	return s
}

// janeSubscriptionUnpaused is Jane's plan resumed: active again, no longer
// paused.
func janeSubscriptionUnpaused() Subscription {
	return janeSubscriptionRecovered()
}

// janeSubscriptionCancelled is Jane cancelling at once, with feedback, in
// the period that started on 7 November.
func janeSubscriptionCancelled() Subscription {
	s := billedFrom(janeSubscriptionRecovered(),
		"2025-11-07T05:30:58.903127Z", "2025-12-07T05:30:58.903127Z")
	s.Status = SubscriptionCancelled
	s.CancelledAt = new(mustTime("2025-11-20T18:42:06.997413Z"))
	s.CancellationFeedback = new("switched_service")
	s.CancellationComment = new("Our whole team moved to a tool we already use elsewhere.")
	return s
}

// lenaSubscriptionFailed is a Pro subscription in euros (24.99 EUR a month,
// VAT included) whose first payment never completed, so it has no payment
// method.
func lenaSubscriptionFailed() Subscription {
	return Subscription{
		SubscriptionID:             "sub_9Hc4Wx7Kq2Lt6Rn3Vb8Jm",
		ProductID:                  proPlan,
		BrandID:                    acmeBrand,
		Status:                     SubscriptionFailed,
		Customer:                   lena(),
		Billing:                    lenaBilling(),
		Currency:                   "EUR",
		RecurringPreTaxAmount:      2499,
		Quantity:                   1,
		TaxInclusive:               true,
		CreatedAt:                  mustTime("2025-08-07T10:32:37.880154Z"),
		PreviousBillingDate:        mustTime("2025-08-07T10:32:37.880154Z"),
		NextBillingDate:            mustTime("2025-09-07T10:32:37.880154Z"),
		PaymentFrequencyCount:      1,
		PaymentFrequencyInterval:   Month,
		SubscriptionPeriodCount:    10,
		SubscriptionPeriodInterval: Year,
		Addons:                     []AddonCartItem{},
		Meters:                     []MeterCartItem{},
		CreditEntitlementCart:      []CreditEntitlementCartItem{},
		MeterCreditEntitlementCart: []MeterCreditEntitlementCartItem{},
		Metadata:                   Metadata{},
	}
}

// harutoSubscriptionExpired is a twelve-month plan at 980 JPY a month (yen
// have no minor unit, tax included) with a 14-day trial that cost 100 JPY,
// at the end of its term.
func harutoSubscriptionExpired() Subscription {
	return Subscription{
		SubscriptionID:             "sub_2Tn7Kx4Wq9Lm3Rb6Vh8Jc",
		ProductID:                  japanTermPlan,
		BrandID:                    acmeBrand,
		Status:                     SubscriptionExpired,
		Customer:                   haruto(),
		Billing:                    harutoBilling(),
		Currency:                   "JPY",
		RecurringPreTaxAmount:      980,
		Quantity:                   1,
		TaxInclusive:               true,
		CreatedAt:                  mustTime("2025-07-18T03:41:09.553820Z"),
		PreviousBillingDate:        mustTime("2026-07-01T00:00:02.114569Z"),
		NextBillingDate:            mustTime("2026-08-01T00:00:02.114569Z"),
		PaymentFrequencyCount:      1,
		PaymentFrequencyInterval:   Month,
		SubscriptionPeriodCount:    12,
		SubscriptionPeriodInterval: Month,
		TrialPeriodDays:            14,
		TrialAmount:                new(int64(100)),
		Addons:                     []AddonCartItem{},
		Meters:                     []MeterCartItem{},
		CreditEntitlementCart:      []CreditEntitlementCartItem{},
		MeterCreditEntitlementCart: []MeterCreditEntitlementCartItem{},
		PaymentMethodID:            new("pm_3Vn8Kq2Wx6Lt9Rb4Hm7Jc"),
		ExpiresAt:                  new(mustTime("2026-08-01T00:00:02.114569Z")),
		Metadata:                   Metadata{"locale": "ja-JP"},
	}
}

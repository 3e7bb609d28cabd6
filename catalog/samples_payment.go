package catalog

func paymentDefinitions() []definition {
	return []definition{
		{
			name:        "payment.succeeded",
			description: "Sent when a payment is completed and the customer has been charged.",
			businessID:  acmeBusiness,
			at:          "2025-08-04T05:30:45.182629Z",
			data:        janeFirstPaymentSucceeded(),
		},
		{
			name:        "payment.failed",
			description: "Sent when a payment attempt fails, for example because the card was declined; error_code and error_message say why.",
			businessID:  acmeBusiness,
			at:          "2025-10-04T05:30:17.904412Z",
			data:        janeRenewalFailed(),
		},
		{
			name:        "payment.processing",
			description: "Sent when a payment has been submitted but its outcome is not final yet, for example while the card issuer confirms it.",
			businessID:  acmeBusiness,
			at:          "2025-08-05T23:14:09.377051Z",
			data:        harutoPaymentProcessing(),
		},
		{
			name:        "payment.cancelled",
			description: "Sent when a payment is cancelled before it completes, for example when its checkout session expires.",
			businessID:  acmeBusiness,
			at:          "2025-08-07T11:02:38.650294Z",
			data:        lenaPaymentCancelled(),
		},
	}
}

// janeFirstPaymentSucceeded is the first charge of Jane's Pro subscription:
// 29.99 USD plus 2.66 USD New York sales tax, in cents.
func janeFirstPaymentSucceeded() Payment {
	return Payment{
		PaymentID:                janeFirstPayment,
		BusinessID:               acmeBusiness,
		BrandID:                  acmeBrand,
		Status:                   new(PaymentSucceeded),
		CreatedAt:                mustTime("2025-08-04T05:30:12.407113Z"),
		UpdatedAt:                new(mustTime("2025-08-04T05:30:44.921306Z")),
		Currency:                 "USD",
		TotalAmount:              3265,
		Tax:                      new(int64(266)),
		SettlementAmount:         3265,
		SettlementTax:            new(int64(266)),
		SettlementCurrency:       "USD",
		Customer:                 jane(),
		Billing:                  janeBilling(),
		SubscriptionID:           new(janeSubscription),
		ProductCart:              []CartItem{{ProductID: proPlan, Quantity: 1}},
		DigitalProductsDelivered: false,
		IsUpdatePaymentMethod:    false,
		PaymentProvider:          "stripe",
		RetryAttempt:             0,
		PaymentMethod:            new("card"),
		PaymentMethodID:          new(janeCard),
		PaymentMethodType:        new("visa"),
		CardLastFour:             new("4242"),
		CardNetwork:              new("VISA"),
		CardType:                 new("CREDIT"),
		CardHolderName:           new("Jane Doe"),
		CardIssuingCountry:       new("US"),
		CheckoutSessionID:        new("cks_2Wq7Lx4Nt9Kr3Vm6Hb8Jc"),
		InvoiceID:                new("inv_8Kt3Wx6Nq2Lm9Rb5Vh7Jd"),
		InvoiceURL:               new("https://test.dodopayments.com/invoices/payments/" + janeFirstPayment),
		Disputes:                 []Dispute{},
		Refunds:                  []Refund{},
		Metadata:                 Metadata{"plan": "pro", "signup_source": "pricing_page", "seats": 1, "annual_upsell_shown": false},
	}
}

// janeRenewalFailed is the third month's renewal of Jane's subscription,
// declined by her bank. Renewals carry no checkout session or invoice.
func janeRenewalFailed() Payment {
	p := janeFirstPaymentSucceeded()
	p.PaymentID = janeFailedRenewal
	p.Status = new(PaymentFailed)
	p.CreatedAt = mustTime("2025-10-04T05:30:15.662019Z")
	p.UpdatedAt = new(mustTime("2025-10-04T05:30:17.118540Z"))
	p.CheckoutSessionID = nil
	p.InvoiceID = nil
	p.InvoiceURL = nil
	p.ErrorCode = new("INSUFFICIENT_FUNDS")
	p.ErrorMessage = new("The card has insufficient funds to complete the purchase.")
	p.Metadata = Metadata{"plan": "pro", "billing_reason": "subscription_cycle"}
	return p
}

// harutoPaymentProcessing is a one-off purchase in yen, a currency without
// minor units: total_amount 4980 is 4,980 JPY (tax included), settled in
// USD cents.
func harutoPaymentProcessing() Payment {
	return Payment{
		PaymentID:          harutoPayment,
		BusinessID:         acmeBusiness,
		BrandID:            acmeBrand,
		Status:             new(PaymentProcessing),
		CreatedAt:          mustTime("2025-08-05T23:13:52.019837Z"),
		UpdatedAt:          new(mustTime("2025-08-05T23:14:08.860412Z")),
		Currency:           "JPY",
		TotalAmount:        4980,
		Tax:                new(int64(453)),
		SettlementAmount:   3376,
		SettlementTax:      new(int64(307)),
		SettlementCurrency: "USD",
		Customer:           haruto(),
		Billing:            harutoBilling(),
		ProductCart:        []CartItem{{ProductID: desktopApp, Quantity: 1}},
		PaymentProvider:    "adyen",
		PaymentMethod:      new("card"),
		PaymentMethodID:    new("pm_3Vn8Kq2Wx6Lt9Rb4Hm7Jc"),
		PaymentMethodType:  new("jcb"),
		CardLastFour:       new("0005"),
		CardNetwork:        new("JCB"),
		CardType:           new("CREDIT"),
		CardHolderName:     new("HARUTO SATO"),
		CardIssuingCountry: new("JP"),
		CheckoutSessionID:  new("cks_7Rb3Nx9Kq4Wt2Lm8Vc6Hd"),
		Disputes:           []Dispute{},
		Refunds:            []Refund{},
		Metadata:           Metadata{"edition": "desktop", "locale": "ja-JP"},
	}
}

// lenaPaymentCancelled is a checkout in euros (19.99 EUR with 19 % VAT
// included) that expired before Lena chose a payment method, so every
// payment-method field is null.
func lenaPaymentCancelled() Payment {
	return Payment{
		PaymentID:          "pay_2Lm6Wq9Kx3Tn7Rb5Vh8Jd",
		BusinessID:         acmeBusiness,
		BrandID:            acmeBrand,
		Status:             new(PaymentCancelled),
		CreatedAt:          mustTime("2025-08-07T10:32:38.114905Z"),
		UpdatedAt:          new(mustTime("2025-08-07T11:02:38.102776Z")),
		Currency:           "EUR",
		TotalAmount:        1999,
		Tax:                new(int64(319)),
		SettlementAmount:   2331,
		SettlementTax:      new(int64(372)),
		SettlementCurrency: "USD",
		Customer:           lena(),
		Billing:            lenaBilling(),
		ProductCart:        []CartItem{{ProductID: designKit, Quantity: 1}},
		PaymentProvider:    "stripe",
		CheckoutSessionID:  new("cks_4Tx8Wn2Kq6Lr9Vb3Hm5Jc"),
		PaymentLink:        new("https://test.checkout.dodopayments.com/buy/" + designKit + "?quantity=1&redirect_url=https%3A%2F%2Facme.example.com%2Fthanks"),
		CustomFieldResponses: []CustomFieldResponse{
			{Key: "company_size", Value: "1-10"},
		},
		Disputes: []Dispute{},
		Refunds:  []Refund{},
		Metadata: Metadata{"campaign": "autumn_launch"},
	}
}

func refundDefinitions() []definition {
	return []definition{
		{
			name:        "refund.succeeded",
			description: "Sent when all or part of a payment has been refunded to the customer.",
			businessID:  acmeBusiness,
			at:          "2025-08-10T14:03:05.610482Z",
			data: Refund{
				RefundID:   "ref_7Vb2Nq5Kx8Lt3Wm6Rd9Hc",
				PaymentID:  janeFirstPayment,
				BusinessID: acmeBusiness,
				BrandID:    acmeBrand,
				CreatedAt:  mustTime("2025-08-10T14:02:51.338207Z"),
				Customer:   jane(),
				IsPartial:  true,
				Status:     "succeeded",
				Amount:     new(int64(1500)),
				Currency:   new("USD"),
				Reason:     new("Partial refund: the first week was not usable because of an onboarding bug."),
				Metadata:   Metadata{"support_ticket": "SUP-20931"},
			},
		},
		{
			name:        "refund.failed",
			description: "Sent when a refund could not be completed, so the money stays with the merchant.",
			businessID:  acmeBusiness,
			at:          "2025-08-12T09:47:22.091375Z",
			data: Refund{
				RefundID:   "ref_4Hx8Ld2Qw6Tn9Kc3Vb7Jm",
				PaymentID:  janeFirstPayment,
				BusinessID: acmeBusiness,
				BrandID:    acmeBrand,
				CreatedAt:  mustTime("2025-08-12T09:46:58.730164Z"),
				Customer:   jane(),
				IsPartial:  true,
				Status:     "failed",
				Amount:     new(int64(1765)),
				Currency:   new("USD"),
				Reason:     new("Refund of the remaining balance after the customer cancelled."),
				Metadata:   Metadata{},
			},
		},
	}
}

func disputeDefinitions() []definition {
	return []definition{
		disputeDefinition("dispute.opened",
			"Sent when the customer's bank opens a dispute (an inquiry or a chargeback) against a payment.",
			"2025-08-20T02:11:47.503318Z", "dispute", "dispute_opened",
			"The cardholder does not recognise the transaction."),
		disputeDefinition("dispute.expired",
			"Sent when the deadline to respond to a dispute passes without a response from the merchant.",
			"2025-09-03T02:12:05.117740Z", "dispute", "dispute_expired",
			"No evidence was submitted before the response deadline."),
		disputeDefinition("dispute.accepted",
			"Sent when the merchant accepts a dispute, so the disputed amount goes back to the customer.",
			"2025-08-21T08:35:19.264093Z", "dispute", "dispute_accepted",
			"The merchant accepted the dispute."),
		disputeDefinition("dispute.cancelled",
			"Sent when the customer or their bank withdraws a dispute.",
			"2025-08-22T06:58:40.871526Z", "pre_dispute", "dispute_cancelled",
			"The cardholder withdrew the inquiry after recognising the charge."),
		disputeDefinition("dispute.challenged",
			"Sent when the merchant challenges a dispute by submitting evidence to the bank.",
			"2025-08-23T10:20:33.408915Z", "dispute", "dispute_challenged",
			"Evidence submitted: license activation log and delivery receipt."),
		disputeDefinition("dispute.won",
			"Sent when the bank decides a dispute in the merchant's favour.",
			"2025-09-18T04:44:12.935207Z", "dispute", "dispute_won",
			"The issuer ruled for the merchant; the funds were reinstated."),
		disputeDefinition("dispute.lost",
			"Sent when the bank decides a dispute in the customer's favour and the amount is charged back.",
			"2025-09-18T04:51:26.302118Z", "dispute", "dispute_lost",
			"The issuer ruled for the cardholder; the amount was charged back."),
	}
}

// disputeDefinition builds a dispute.* event about Haruto's yen payment, in
// the given stage and status. Every outcome is a different ending of the
// same dispute.
func disputeDefinition(name, description, at, stage, status, remarks string) definition {
	return definition{
		name:        name,
		description: description,
		businessID:  acmeBusiness,
		at:          at,
		data: Dispute{
			DisputeID:       "dis_3Kw8Nq2Tx6Lr9Vb5Hm7Jc",
			PaymentID:       harutoPayment,
			BusinessID:      acmeBusiness,
			Amount:          "4980",
			Currency:        "JPY",
			CreatedAt:       mustTime("2025-08-20T02:11:31.226871Z"),
			DisputeStage:    stage,
			DisputeStatus:   status,
			Remarks:         new(remarks),
			IsResolvedByRDR: new(false),
		},
	}
}

func licenseKeyDefinitions() []definition {
	return []definition{
		{
			name:        "license_key.created",
			description: "Sent when a license key is issued to a customer for a product they bought.",
			businessID:  acmeBusiness,
			at:          "2025-08-05T23:15:02.448170Z",
			data: LicenseKey{
				ID:               "lic_9Tq4Wx7Kn2Lr5Vb8Hm3Jc",
				Key:              "HB7Q-4XKM-2RZT-9WLC-8PND",
				CustomerID:       harutoCustomerID,
				ProductID:        desktopApp,
				Status:           "active",
				Source:           "auto",
				InstancesCount:   0,
				ActivationsLimit: new(3),
				PaymentID:        new(harutoPayment),
				SubscriptionID:   nil,
				ExpiresAt:        nil,
			},
		},
	}
}

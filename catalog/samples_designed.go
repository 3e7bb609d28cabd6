package catalog

// The samples in this file use the objects of model_designed.go, whose shape
// is our best model rather than the platform's documented one.

func payoutDefinitions() []definition {
	return []definition{
		{
			name:        "payout.created",
			description: "Sent when a payout of the merchant's balance to their bank account is created.",
			businessID:  tokyoBusiness,
			at:          "2025-08-16T00:05:13.118027Z",
			data:        tokyoPayoutCreated(),
		},
		{
			name:        "payout.on_hold",
			description: "Sent when a payout is held back, for example until the merchant's bank account is verified.",
			businessID:  acmeBusiness,
			at:          "2025-09-16T00:07:42.560913Z",
			data:        acmePayoutOnHold(),
		},
		{
			name:        "payout.in_progress",
			description: "Sent when a payout has been sent to the merchant's bank and is on its way.",
			businessID:  tokyoBusiness,
			at:          "2025-08-18T01:00:41.902765Z",
			data:        tokyoPayoutAt("in_progress", "2025-08-18T01:00:41.377204Z"),
		},
		{
			name:        "payout.failed",
			description: "Sent when a payout is rejected by the receiving bank and the money returns to the merchant's balance.",
			businessID:  kuwaitBusiness,
			at:          "2025-09-03T07:26:18.044391Z",
			data:        kuwaitPayoutFailed(),
		},
		{
			name:        "payout.success",
			description: "Sent when a payout has arrived in the merchant's bank account.",
			businessID:  tokyoBusiness,
			at:          "2025-08-19T02:17:56.230148Z",
			data:        tokyoPayoutSucceeded(),
		},
	}
}

// tokyoPayoutCreated pays a Japanese merchant 1,284,500 JPY (yen have no
// minor unit) after a 250 JPY transfer fee and 12,400 JPY of refunds.
func tokyoPayoutCreated() Payout {
	return Payout{
		PayoutID:      tokyoPayout,
		BusinessID:    tokyoBusiness,
		Status:        "not_initiated",
		Amount:        1284500,
		Currency:      "JPY",
		Fee:           250,
		Tax:           0,
		Refunds:       12400,
		Chargebacks:   0,
		PaymentMethod: "bank_transfer",
		Name:          new("Payout for 1–15 August 2025"),
		CreatedAt:     mustTime("2025-08-16T00:05:12.330194Z"),
		UpdatedAt:     mustTime("2025-08-16T00:05:12.330194Z"),
	}
}

func tokyoPayoutAt(status, updatedAt string) Payout {
	p := tokyoPayoutCreated()
	p.Status = status
	p.UpdatedAt = mustTime(updatedAt)
	return p
}

func tokyoPayoutSucceeded() Payout {
	p := tokyoPayoutAt("success", "2025-08-19T02:17:55.871036Z")
	p.PayoutDocumentURL = new("https://test.dodopayments.com/payouts/" + tokyoPayout + "/statement.pdf")
	return p
}

// acmePayoutOnHold is 4,823.17 USD held after the merchant changed bank
// accounts; the chargeback is the lost yen dispute, settled in USD.
func acmePayoutOnHold() Payout {
	return Payout{
		PayoutID:      "po_8Wk3Rx6Nq2Tm9Lb5Vh7Jc",
		BusinessID:    acmeBusiness,
		Status:        "on_hold",
		Amount:        482317,
		Currency:      "USD",
		Fee:           0,
		Tax:           0,
		Refunds:       4530,
		Chargebacks:   3376,
		PaymentMethod: "bank_transfer",
		Name:          new("Payout for 1–15 September 2025"),
		Remarks:       new("On hold until the new bank account is verified."),
		CreatedAt:     mustTime("2025-09-16T00:07:41.995380Z"),
		UpdatedAt:     mustTime("2025-09-16T00:07:41.995380Z"),
	}
}

// kuwaitPayoutFailed is 1,845.250 KWD: the dinar has three decimals, so the
// amount is 1845250 fils, not 18452.50 of anything.
func kuwaitPayoutFailed() Payout {
	return Payout{
		PayoutID:      "po_2Tq7Wx4Kn9Lr3Vb6Hm8Jd",
		BusinessID:    kuwaitBusiness,
		Status:        "failed",
		Amount:        1845250,
		Currency:      "KWD",
		Fee:           2500,
		Tax:           0,
		Refunds:       0,
		Chargebacks:   0,
		PaymentMethod: "bank_transfer",
		Name:          new("Payout for August 2025"),
		Remarks:       new("The receiving bank returned the transfer: the account is closed."),
		CreatedAt:     mustTime("2025-09-01T00:04:55.781223Z"),
		UpdatedAt:     mustTime("2025-09-03T07:26:17.509846Z"),
	}
}

func creditDefinitions() []definition {
	return []definition{
		creditDefinition("credit.added",
			"Sent when credits are granted to a customer, for example at the start of each billing period.",
			"2025-10-01T00:00:06.843271Z", creditAdded()),
		creditDefinition("credit.deducted",
			"Sent when usage consumes credits from a customer's balance.",
			"2025-10-01T10:00:04.516308Z", creditDeducted()),
		creditDefinition("credit.expired",
			"Sent when unused credits reach their expiry date and are removed from the balance.",
			"2025-10-01T00:00:01.902437Z", creditExpired()),
		creditDefinition("credit.rolled_over",
			"Sent when unused credits are carried over into the next billing period.",
			"2025-10-01T00:00:03.271950Z", creditRolledOver()),
		creditDefinition("credit.rollover_forfeited",
			"Sent when unused credits above the rollover limit are forfeited at the end of a billing period.",
			"2025-10-01T00:00:02.630118Z", creditRolloverForfeited()),
		creditDefinition("credit.overage_charged",
			"Sent when usage beyond a customer's credit balance is billed to them as overage.",
			"2025-11-01T00:00:05.118934Z", creditOverageCharged()),
		creditDefinition("credit.overage_reset",
			"Sent when a customer's overage is cleared without a charge, for example at the start of a billing period.",
			"2025-12-01T00:00:04.377560Z", creditOverageReset()),
		creditDefinition("credit.manual_adjustment",
			"Sent when the merchant adds or removes credits by hand.",
			"2025-09-01T12:30:19.064825Z", creditManualAdjustment()),
		{
			name:        "credit.balance_low",
			description: "Sent when a customer's credit balance falls below the low-balance threshold.",
			businessID:  acmeBusiness,
			at:          "2025-10-26T17:22:48.995012Z",
			data: CreditBalanceLow{
				BusinessID:            acmeBusiness,
				BrandID:               acmeBrand,
				CustomerID:            nasserCustomerID,
				SubscriptionID:        nasserSubscription,
				CreditEntitlementID:   apiCreditsID,
				CreditEntitlementName: apiCreditsName,
				AvailableBalance:      "950",
				PeriodCredits:         "10000",
				ThresholdPercent:      10,
				ThresholdBalance:      "1000",
				DetectedAt:            mustTime("2025-10-26T17:22:48.410377Z"),
			},
		},
	}
}

func creditDefinition(name, description, at string, entry CreditLedgerEntry) definition {
	return definition{name: name, description: description, businessID: acmeBusiness, at: at, data: entry}
}

// creditEntry is a movement of Nasser's API credits, which come with his
// Scale plan: 10,000 a month, up to 2,000 rolling over, and overage billed
// at 0.003 KWD (3 fils) a credit.
func creditEntry(id, transactionType string, isCredit bool, credits, before, after, createdAt, description string) CreditLedgerEntry {
	return CreditLedgerEntry{
		EntryID:               id,
		BusinessID:            acmeBusiness,
		BrandID:               acmeBrand,
		CustomerID:            nasserCustomerID,
		SubscriptionID:        new(nasserSubscription),
		CreditEntitlementID:   apiCreditsID,
		CreditEntitlementName: apiCreditsName,
		TransactionType:       transactionType,
		IsCredit:              isCredit,
		Credits:               credits,
		BalanceBefore:         before,
		BalanceAfter:          after,
		OverageBefore:         "0",
		OverageAfter:          "0",
		Description:           new(description),
		CreatedAt:             mustTime(createdAt),
	}
}

func creditManualAdjustment() CreditLedgerEntry {
	return creditEntry("cle_5Rb8Wx2Kq6Tn9Lm3Vh7Jc", "manual_adjustment", true,
		"500", "10900", "11400", "2025-09-01T12:30:18.540276Z",
		"Goodwill credits after the API outage of 29 August, valid for 30 days.")
}

func creditExpired() CreditLedgerEntry {
	return creditEntry("cle_9Kt4Wq7Nx2Lr5Vb8Hm3Jd", "credit_expired", false,
		"500", "3250", "2750", "2025-10-01T00:00:01.377915Z",
		"Goodwill credits granted on 1 September expired after 30 days.")
}

func creditRolloverForfeited() CreditLedgerEntry {
	return creditEntry("cle_3Wn8Kx6Tq2Lm9Rb5Vh7Jc", "rollover_forfeited", false,
		"750", "2750", "2000", "2025-10-01T00:00:02.118460Z",
		"Unused credits above the rollover limit of 2,000 were forfeited.")
}

func creditRolledOver() CreditLedgerEntry {
	return creditEntry("cle_7Lq2Wx5Kn8Tr3Vb6Hm9Jd", "credit_rolled_over", true,
		"2000", "2000", "2000", "2025-10-01T00:00:02.774093Z",
		"2,000 unused credits carried over into the period starting 1 October 2025.")
}

func creditAdded() CreditLedgerEntry {
	e := creditEntry("cle_2Tx9Kq4Wn7Lm3Rb8Vh5Jc", "credit_added", true,
		"10000", "2000", "12000", "2025-10-01T00:00:06.309571Z",
		"Monthly grant of the Scale plan.")
	e.ReferenceID = new("pay_4Kx7Wq2Tn9Lr6Vb3Hm8Jd")
	return e
}

func creditDeducted() CreditLedgerEntry {
	e := creditEntry("cle_6Wq3Kx8Tn2Lr7Vb4Hm9Jc", "credit_deducted", false,
		"350", "12000", "11650", "2025-10-01T10:00:04.002815Z",
		"API calls metered between 09:00 and 10:00 UTC.")
	e.ReferenceID = new("evt_8Nx3Kq6Wt2Lm9Rb5Vh7Jd")
	return e
}

// creditOverageCharged bills 1,500 credits of October overage at 3 fils
// each: 4.500 KWD, written as 4500 fils.
func creditOverageCharged() CreditLedgerEntry {
	e := creditEntry("cle_4Rx9Wq2Kt7Ln3Vb6Hm8Jc", "overage_charged", false,
		"1500", "0", "0", "2025-11-01T00:00:04.660282Z",
		"1,500 credits of overage at 0.003 KWD each.")
	e.OverageBefore = "1500"
	e.OverageAfter = "0"
	e.ChargeAmount = new(int64(4500))
	e.ChargeCurrency = new("KWD")
	e.ReferenceID = new("pay_5Tn2Wx8Kq4Lr7Vb3Hm9Jd")
	return e
}

func creditOverageReset() CreditLedgerEntry {
	e := creditEntry("cle_8Kq5Wx2Tn6Lr9Vb3Hm7Jd", "overage_reset", false,
		"320", "0", "0", "2025-12-01T00:00:03.905146Z",
		"Overage cleared at the start of the billing period without a charge.")
	e.OverageBefore = "320"
	e.OverageAfter = "0"
	return e
}

func abandonedCheckoutDefinitions() []definition {
	return []definition{
		{
			name:        "abandoned_checkout.detected",
			description: "Sent when a customer leaves a checkout without paying, so that recovery can begin.",
			businessID:  acmeBusiness,
			at:          "2025-08-28T20:41:09.338215Z",
			data:        nasserCheckoutAbandoned(),
		},
		{
			name:        "abandoned_checkout.recovered",
			description: "Sent when a customer comes back to an abandoned checkout and completes the payment.",
			businessID:  acmeBusiness,
			at:          "2025-08-29T08:15:47.902661Z",
			data:        nasserCheckoutRecovered(),
		},
	}
}

// nasserCheckoutAbandoned is a Scale plan checkout for 12.500 KWD (12500
// fils) whose card payment failed.
func nasserCheckoutAbandoned() AbandonedCheckout {
	return AbandonedCheckout{
		PaymentID:         nasserCheckout,
		BusinessID:        acmeBusiness,
		BrandID:           acmeBrand,
		CheckoutSessionID: new("cks_6Hm2Wx9Kq4Tn7Lr3Vb8Jc"),
		Customer:          nasser(),
		ProductCart:       []CartItem{{ProductID: scalePlan, Quantity: 1}},
		TotalAmount:       12500,
		Currency:          "KWD",
		AbandonmentReason: "payment_failed",
		Status:            "abandoned",
		AbandonedAt:       mustTime("2025-08-28T19:41:08.772940Z"),
	}
}

func nasserCheckoutRecovered() AbandonedCheckout {
	c := nasserCheckoutAbandoned()
	c.Status = "recovered"
	c.RecoveredAt = new(mustTime("2025-08-29T08:15:47.311582Z"))
	c.RecoveredPaymentID = new("pay_3Lm8Wx5Kq2Tn9Rb6Vh4Jc")
	return c
}

func dunningDefinitions() []definition {
	return []definition{
		{
			name:        "dunning.started",
			description: "Sent when a subscription's renewal payment fails and automatic retries and reminder emails begin.",
			businessID:  acmeBusiness,
			at:          "2025-10-04T05:30:22.418730Z",
			data:        janeDunningStarted(),
		},
		{
			name:        "dunning.recovered",
			description: "Sent when a retried renewal payment succeeds and the subscription is back in good standing.",
			businessID:  acmeBusiness,
			at:          "2025-10-07T05:31:05.207394Z",
			data:        janeDunningRecovered(),
		},
	}
}

// janeDunningStarted follows the failed October renewal of Jane's plan
// (see payment.failed), retried up to four times.
func janeDunningStarted() Dunning {
	return Dunning{
		DunningID:      "dun_5Wq8Kx3Tn7Lr2Vb9Hm4Jc",
		BusinessID:     acmeBusiness,
		BrandID:        acmeBrand,
		SubscriptionID: janeSubscription,
		PaymentID:      janeFailedRenewal,
		Customer:       jane(),
		Status:         "active",
		AmountDue:      3265,
		Currency:       "USD",
		AttemptCount:   1,
		MaxAttempts:    4,
		NextAttemptAt:  new(mustTime("2025-10-07T05:30:15.662019Z")),
		StartedAt:      mustTime("2025-10-04T05:30:18.204517Z"),
	}
}

func janeDunningRecovered() Dunning {
	d := janeDunningStarted()
	d.Status = "recovered"
	d.AttemptCount = 2
	d.NextAttemptAt = nil
	d.RecoveredAt = new(mustTime("2025-10-07T05:31:02.614380Z"))
	d.RecoveredPaymentID = new(janeRecoveredRenewal)
	return d
}

func entitlementGrantDefinitions() []definition {
	return []definition{
		{
			name:        "entitlement_grant.created",
			description: "Sent when a purchase grants a customer an entitlement, such as a Discord role or repository access, before it is delivered.",
			businessID:  acmeBusiness,
			at:          "2025-08-04T05:30:47.615028Z",
			data:        janeDiscordGrantCreated(),
		},
		{
			name:        "entitlement_grant.delivered",
			description: "Sent when an entitlement has been delivered to the customer.",
			businessID:  acmeBusiness,
			at:          "2025-08-04T05:31:03.884160Z",
			data:        janeDiscordGrantDelivered(),
		},
		{
			name:        "entitlement_grant.failed",
			description: "Sent when delivering an entitlement fails; error_message says why.",
			businessID:  acmeBusiness,
			at:          "2025-08-05T23:15:09.671352Z",
			data:        harutoGitHubGrantFailed(),
		},
		{
			name:        "entitlement_grant.revoked",
			description: "Sent when an entitlement is taken back, for example after a refund or when its subscription ends.",
			businessID:  acmeBusiness,
			at:          "2025-11-20T18:42:09.350719Z",
			data:        janeDiscordGrantRevoked(),
		},
	}
}

// janeDiscordGrantCreated gives Jane's Pro plan its members' Discord role.
func janeDiscordGrantCreated() EntitlementGrant {
	return EntitlementGrant{
		GrantID:         janeDiscordGrant,
		EntitlementID:   discordEntitlement,
		BusinessID:      acmeBusiness,
		BrandID:         acmeBrand,
		CustomerID:      janeCustomerID,
		ProductID:       proPlan,
		PaymentID:       new(janeFirstPayment),
		SubscriptionID:  new(janeSubscription),
		IntegrationType: "discord",
		Status:          "pending",
		CreatedAt:       mustTime("2025-08-04T05:30:47.102336Z"),
	}
}

func janeDiscordGrantDelivered() EntitlementGrant {
	g := janeDiscordGrantCreated()
	g.Status = "delivered"
	g.DeliveredAt = new(mustTime("2025-08-04T05:31:03.419807Z"))
	return g
}

// janeDiscordGrantRevoked is the role taken back when Jane's subscription
// was cancelled (see subscription.cancelled).
func janeDiscordGrantRevoked() EntitlementGrant {
	g := janeDiscordGrantDelivered()
	g.Status = "revoked"
	g.RevokedAt = new(mustTime("2025-11-20T18:42:08.876402Z"))
	return g
}

func harutoGitHubGrantFailed() EntitlementGrant {
	return EntitlementGrant{
		GrantID:         harutoGitHubGrant,
		EntitlementID:   githubEntitlement,
		BusinessID:      acmeBusiness,
		BrandID:         acmeBrand,
		CustomerID:      harutoCustomerID,
		ProductID:       desktopApp,
		PaymentID:       new(harutoPayment),
		IntegrationType: "github",
		Status:          "failed",
		ErrorMessage:    new(`GitHub user "haruto-sato-dev" was not found; ask the customer to check the username.`),
		CreatedAt:       mustTime("2025-08-05T23:15:03.228591Z"),
	}
}

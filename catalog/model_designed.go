package catalog

// This file models the data of the event types whose objects the platform's
// reference does not detail: payouts, credits, abandoned checkouts, dunning
// and entitlement grants. Their shape is our best model, written in the style
// of the documented objects (prefixed ids, minor-unit integer amounts,
// nullable fields written as null), not the platform's documented one. Code
// that reads these events should tolerate fields that differ.

// Payout is the data of payout.* events: money paid out from the merchant's
// balance to their bank account. Status is "not_initiated", "on_hold",
// "in_progress", "failed" or "success". Amount is what reaches the bank;
// Fee, Tax, Refunds and Chargebacks are what was deducted from the period's
// balance before paying out. All are minor units of Currency.
type Payout struct {
	PayoutID    string `json:"payout_id"`
	BusinessID  string `json:"business_id"`
	Status      string `json:"status"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Fee         int64  `json:"fee"`
	Tax         int64  `json:"tax"`
	Refunds     int64  `json:"refunds"`
	Chargebacks int64  `json:"chargebacks"`
	// PaymentMethod is how the money is sent, e.g. "bank_transfer".
	PaymentMethod string `json:"payment_method"`
	// Name is the payout's label on the merchant's statement.
	Name *string `json:"name"`
	// Remarks explains a hold or a failure.
	Remarks           *string   `json:"remarks"`
	PayoutDocumentURL *string   `json:"payout_document_url"`
	CreatedAt         Timestamp `json:"created_at"`
	UpdatedAt         Timestamp `json:"updated_at"`
}

// CreditLedgerEntry is the data of every credit.* event except
// credit.balance_low: one movement on a customer's balance of a credit
// entitlement (e.g. API calls included in a plan).
//
// Credits are units, not money, and may be fractional, so Credits and the
// balances are decimal strings. Credits is the size of the movement and
// IsCredit is true when it adds to the balance. Overage is usage beyond a
// zero balance; the overage_* entries move it rather than the balance.
// ChargeAmount and ChargeCurrency are set only when overage is charged, in
// minor units of ChargeCurrency.
type CreditLedgerEntry struct {
	EntryID               string  `json:"entry_id"`
	BusinessID            string  `json:"business_id"`
	BrandID               string  `json:"brand_id"`
	CustomerID            string  `json:"customer_id"`
	SubscriptionID        *string `json:"subscription_id"`
	CreditEntitlementID   string  `json:"credit_entitlement_id"`
	CreditEntitlementName string  `json:"credit_entitlement_name"`
	// TransactionType is "credit_added", "credit_deducted",
	// "credit_expired", "credit_rolled_over", "rollover_forfeited",
	// "overage_charged", "overage_reset" or "manual_adjustment".
	TransactionType string  `json:"transaction_type"`
	IsCredit        bool    `json:"is_credit"`
	Credits         string  `json:"credits"`
	BalanceBefore   string  `json:"balance_before"`
	BalanceAfter    string  `json:"balance_after"`
	OverageBefore   string  `json:"overage_before"`
	OverageAfter    string  `json:"overage_after"`
	ChargeAmount    *int64  `json:"charge_amount"`
	ChargeCurrency  *string `json:"charge_currency"`
	Description     *string `json:"description"`
	// ReferenceID is the object that caused the movement: a payment, a
	// subscription or a usage event.
	ReferenceID *string   `json:"reference_id"`
	CreatedAt   Timestamp `json:"created_at"`
}

// CreditBalanceLow is the data of credit.balance_low: a customer's available
// credits fell below ThresholdPercent of the credits granted per period.
// Credit quantities are decimal strings, as in CreditLedgerEntry.
type CreditBalanceLow struct {
	BusinessID            string    `json:"business_id"`
	BrandID               string    `json:"brand_id"`
	CustomerID            string    `json:"customer_id"`
	SubscriptionID        string    `json:"subscription_id"`
	CreditEntitlementID   string    `json:"credit_entitlement_id"`
	CreditEntitlementName string    `json:"credit_entitlement_name"`
	AvailableBalance      string    `json:"available_balance"`
	PeriodCredits         string    `json:"period_credits"`
	ThresholdPercent      int       `json:"threshold_percent"`
	ThresholdBalance      string    `json:"threshold_balance"`
	DetectedAt            Timestamp `json:"detected_at"`
}

// AbandonedCheckout is the data of abandoned_checkout.* events: a checkout
// the customer left without paying. AbandonmentReason is "payment_failed" or
// "checkout_incomplete"; Status is "abandoned", "recovering", "recovered",
// "exhausted" or "opted_out". The Recovered fields are set once the customer
// came back and paid.
type AbandonedCheckout struct {
	PaymentID          string     `json:"payment_id"`
	BusinessID         string     `json:"business_id"`
	BrandID            string     `json:"brand_id"`
	CheckoutSessionID  *string    `json:"checkout_session_id"`
	Customer           Customer   `json:"customer"`
	ProductCart        []CartItem `json:"product_cart"`
	TotalAmount        int64      `json:"total_amount"`
	Currency           string     `json:"currency"`
	AbandonmentReason  string     `json:"abandonment_reason"`
	Status             string     `json:"status"`
	AbandonedAt        Timestamp  `json:"abandoned_at"`
	RecoveredAt        *Timestamp `json:"recovered_at"`
	RecoveredPaymentID *string    `json:"recovered_payment_id"`
}

// Dunning is the data of dunning.* events: the recovery process that starts
// when a subscription's renewal payment fails, with retries and reminder
// emails. Status is "active", "recovered", "exhausted" or "cancelled".
// PaymentID is the failed payment that started it; AmountDue is in minor
// units of Currency.
type Dunning struct {
	DunningID          string     `json:"dunning_id"`
	BusinessID         string     `json:"business_id"`
	BrandID            string     `json:"brand_id"`
	SubscriptionID     string     `json:"subscription_id"`
	PaymentID          string     `json:"payment_id"`
	Customer           Customer   `json:"customer"`
	Status             string     `json:"status"`
	AmountDue          int64      `json:"amount_due"`
	Currency           string     `json:"currency"`
	AttemptCount       int        `json:"attempt_count"`
	MaxAttempts        int        `json:"max_attempts"`
	NextAttemptAt      *Timestamp `json:"next_attempt_at"`
	StartedAt          Timestamp  `json:"started_at"`
	RecoveredAt        *Timestamp `json:"recovered_at"`
	RecoveredPaymentID *string    `json:"recovered_payment_id"`
}

// EntitlementGrant is the data of entitlement_grant.* events: access that a
// purchase gives a customer, delivered by an integration. IntegrationType is
// e.g. "discord", "github", "telegram", "notion", "figma", "framer",
// "digital_files" or "license_key"; Status is "pending", "delivered",
// "failed" or "revoked". ErrorMessage is set when delivery failed.
type EntitlementGrant struct {
	GrantID         string     `json:"grant_id"`
	EntitlementID   string     `json:"entitlement_id"`
	BusinessID      string     `json:"business_id"`
	BrandID         string     `json:"brand_id"`
	CustomerID      string     `json:"customer_id"`
	ProductID       string     `json:"product_id"`
	PaymentID       *string    `json:"payment_id"`
	SubscriptionID  *string    `json:"subscription_id"`
	IntegrationType string     `json:"integration_type"`
	Status          string     `json:"status"`
	ErrorMessage    *string    `json:"error_message"`
	CreatedAt       Timestamp  `json:"created_at"`
	DeliveredAt     *Timestamp `json:"delivered_at"`
	RevokedAt       *Timestamp `json:"revoked_at"`
}

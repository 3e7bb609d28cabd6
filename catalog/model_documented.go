package catalog

// This file models the objects whose fields the payments platform documents
// (from its public SDK types). JSON names are the platform's. Conventions
// throughout the package:
//   - A field the platform marks nullable is a pointer (or a slice) without
//     omitempty: it is always written, as null when absent, as the platform
//     does.
//   - Money is an integer count of the currency's minor unit (cents for USD,
//     yen for JPY, fils for KWD), never a float. Dividing by 100 is only right
//     for two-decimal currencies.
//   - Currency codes are upper-case ISO 4217.

// Envelope is the body of every webhook the platform sends. Data is the
// object's state at delivery time; use Envelope[json.RawMessage] to read the
// envelope before knowing the event type. There is no event id in the body:
// the webhook-id header is the idempotency key.
type Envelope[T any] struct {
	BusinessID string    `json:"business_id"`
	Type       string    `json:"type"`
	Timestamp  Timestamp `json:"timestamp"`
	Data       T         `json:"data"`
}

// Metadata is the merchant's own key-value data attached to an object. Values
// are strings, numbers or booleans.
type Metadata map[string]any

// Customer identifies the paying customer inside Payment, Subscription and
// Refund.
type Customer struct {
	CustomerID  string   `json:"customer_id"`
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Metadata    Metadata `json:"metadata,omitempty"`
	PhoneNumber *string  `json:"phone_number"`
}

// Billing is the customer's billing address. Country is an ISO 3166-1
// alpha-2 code and always present; the rest may be null.
type Billing struct {
	Country string  `json:"country"`
	City    *string `json:"city"`
	State   *string `json:"state"`
	Street  *string `json:"street"`
	Zipcode *string `json:"zipcode"`
}

// PaymentStatus is the state of a Payment.
type PaymentStatus string

// The payment states the platform documents.
const (
	PaymentSucceeded                      PaymentStatus = "succeeded"
	PaymentFailed                         PaymentStatus = "failed"
	PaymentCancelled                      PaymentStatus = "cancelled"
	PaymentProcessing                     PaymentStatus = "processing"
	PaymentRequiresCustomerAction         PaymentStatus = "requires_customer_action"
	PaymentRequiresMerchantAction         PaymentStatus = "requires_merchant_action"
	PaymentRequiresPaymentMethod          PaymentStatus = "requires_payment_method"
	PaymentRequiresConfirmation           PaymentStatus = "requires_confirmation"
	PaymentRequiresCapture                PaymentStatus = "requires_capture"
	PaymentPartiallyCaptured              PaymentStatus = "partially_captured"
	PaymentPartiallyCapturedAndCapturable PaymentStatus = "partially_captured_and_capturable"
)

// Payment is the data of payment.* events: one charge of a customer.
// Status is null only on payments the platform has not started processing.
type Payment struct {
	PaymentID                string         `json:"payment_id"`
	BusinessID               string         `json:"business_id"`
	BrandID                  string         `json:"brand_id"`
	Status                   *PaymentStatus `json:"status"`
	CreatedAt                Timestamp      `json:"created_at"`
	UpdatedAt                *Timestamp     `json:"updated_at"`
	Currency                 string         `json:"currency"`
	TotalAmount              int64          `json:"total_amount"`
	Tax                      *int64         `json:"tax"`
	SettlementAmount         int64          `json:"settlement_amount"`
	SettlementTax            *int64         `json:"settlement_tax"`
	SettlementCurrency       string         `json:"settlement_currency"`
	Customer                 Customer       `json:"customer"`
	Billing                  Billing        `json:"billing"`
	SubscriptionID           *string        `json:"subscription_id"`
	ProductCart              []CartItem     `json:"product_cart"`
	DigitalProductsDelivered bool           `json:"digital_products_delivered"`
	IsUpdatePaymentMethod    bool           `json:"is_update_payment_method"`
	// PaymentProvider is "stripe", "adyen" or "dodo".
	PaymentProvider string `json:"payment_provider"`
	// RetryAttempt counts earlier failed attempts at this charge.
	RetryAttempt int `json:"retry_attempt"`
	// PaymentMethod is the kind of method, e.g. "card"; PaymentMethodType
	// refines it, e.g. "visa".
	PaymentMethod        *string               `json:"payment_method"`
	PaymentMethodID      *string               `json:"payment_method_id"`
	PaymentMethodType    *string               `json:"payment_method_type"`
	CardLastFour         *string               `json:"card_last_four"`
	CardNetwork          *string               `json:"card_network"`
	CardType             *string               `json:"card_type"`
	CardHolderName       *string               `json:"card_holder_name"`
	CardIssuingCountry   *string               `json:"card_issuing_country"`
	CheckoutSessionID    *string               `json:"checkout_session_id"`
	DiscountID           *string               `json:"discount_id"`
	Discounts            []AppliedDiscount     `json:"discounts"`
	CustomFieldResponses []CustomFieldResponse `json:"custom_field_responses"`
	// ErrorCode and ErrorMessage are set when the payment failed.
	ErrorCode    *string `json:"error_code"`
	ErrorMessage *string `json:"error_message"`
	InvoiceID    *string `json:"invoice_id"`
	InvoiceURL   *string `json:"invoice_url"`
	PaymentLink  *string `json:"payment_link"`
	// RefundStatus is "partial" or "full" once money has been refunded.
	RefundStatus *string   `json:"refund_status"`
	Disputes     []Dispute `json:"disputes"`
	Refunds      []Refund  `json:"refunds"`
	Metadata     Metadata  `json:"metadata"`
}

// CartItem is one product and its quantity in a cart.
type CartItem struct {
	ProductID string `json:"product_id"`
	Quantity  int    `json:"quantity"`
}

// AppliedDiscount is one discount applied to a payment or subscription. The
// reference names the discounts field but not its items: this shape is our
// best model, not the platform's documented one.
type AppliedDiscount struct {
	DiscountID string `json:"discount_id"`
	Code       string `json:"code"`
	// Amount is what the discount took off, in minor units.
	Amount int64 `json:"amount"`
}

// CustomFieldResponse is a customer's answer to a custom checkout field. The
// reference names the field but not its items: this shape is our best model.
type CustomFieldResponse struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Refund is the data of refund.* events. Amount and Currency are null when
// the platform has not settled them yet; Amount never exceeds the payment's
// total. Status is "succeeded", "failed", "pending" or "review".
type Refund struct {
	RefundID   string    `json:"refund_id"`
	PaymentID  string    `json:"payment_id"`
	BusinessID string    `json:"business_id"`
	BrandID    string    `json:"brand_id"`
	CreatedAt  Timestamp `json:"created_at"`
	Customer   Customer  `json:"customer"`
	IsPartial  bool      `json:"is_partial"`
	Status     string    `json:"status"`
	Amount     *int64    `json:"amount"`
	Currency   *string   `json:"currency"`
	Reason     *string   `json:"reason"`
	Metadata   Metadata  `json:"metadata"`
}

// Dispute is the data of dispute.* events: a customer's bank contesting a
// payment.
type Dispute struct {
	DisputeID  string `json:"dispute_id"`
	PaymentID  string `json:"payment_id"`
	BusinessID string `json:"business_id"`
	// Amount is the disputed amount in minor units, written as a decimal
	// string (the platform's choice, unlike every other amount).
	Amount    string    `json:"amount"`
	Currency  string    `json:"currency"`
	CreatedAt Timestamp `json:"created_at"`
	// DisputeStage is "pre_dispute", "dispute" or "pre_arbitration".
	DisputeStage string `json:"dispute_stage"`
	// DisputeStatus is "dispute_opened", "dispute_expired",
	// "dispute_accepted", "dispute_cancelled", "dispute_challenged",
	// "dispute_won" or "dispute_lost".
	DisputeStatus string `json:"dispute_status"`
	// Remarks and IsResolvedByRDR are always present in our samples, as the
	// reference lists them; the platform's SDK types allow null, so they are
	// pointers to read such payloads faithfully.
	Remarks         *string `json:"remarks"`
	IsResolvedByRDR *bool   `json:"is_resolved_by_rdr"`
}

// SubscriptionStatus is the state of a Subscription.
type SubscriptionStatus string

// The subscription states the platform documents.
const (
	SubscriptionPending   SubscriptionStatus = "pending"
	SubscriptionActive    SubscriptionStatus = "active"
	SubscriptionOnHold    SubscriptionStatus = "on_hold"
	SubscriptionPaused    SubscriptionStatus = "paused"
	SubscriptionCancelled SubscriptionStatus = "cancelled"
	SubscriptionFailed    SubscriptionStatus = "failed"
	SubscriptionExpired   SubscriptionStatus = "expired"
)

// Interval is the unit of a billing or subscription period.
type Interval string

// The intervals the platform documents.
const (
	Day   Interval = "Day"
	Week  Interval = "Week"
	Month Interval = "Month"
	Year  Interval = "Year"
)

// Subscription is the data of subscription.* events. The customer pays
// RecurringPreTaxAmount (plus tax unless TaxInclusive) every
// PaymentFrequencyCount PaymentFrequencyIntervals, for a term of
// SubscriptionPeriodCount SubscriptionPeriodIntervals.
type Subscription struct {
	SubscriptionID             string             `json:"subscription_id"`
	ProductID                  string             `json:"product_id"`
	BrandID                    string             `json:"brand_id"`
	Status                     SubscriptionStatus `json:"status"`
	Customer                   Customer           `json:"customer"`
	Billing                    Billing            `json:"billing"`
	Currency                   string             `json:"currency"`
	RecurringPreTaxAmount      int64              `json:"recurring_pre_tax_amount"`
	Quantity                   int                `json:"quantity"`
	TaxInclusive               bool               `json:"tax_inclusive"`
	CancelAtNextBillingDate    bool               `json:"cancel_at_next_billing_date"`
	OnDemand                   bool               `json:"on_demand"`
	CreatedAt                  Timestamp          `json:"created_at"`
	PreviousBillingDate        Timestamp          `json:"previous_billing_date"`
	NextBillingDate            Timestamp          `json:"next_billing_date"`
	PaymentFrequencyCount      int                `json:"payment_frequency_count"`
	PaymentFrequencyInterval   Interval           `json:"payment_frequency_interval"`
	SubscriptionPeriodCount    int                `json:"subscription_period_count"`
	SubscriptionPeriodInterval Interval           `json:"subscription_period_interval"`
	TrialPeriodDays            int                `json:"trial_period_days"`
	// TrialAmount is what the trial costs, in minor units.
	TrialAmount                *int64                           `json:"trial_amount"`
	Addons                     []AddonCartItem                  `json:"addons"`
	Meters                     []MeterCartItem                  `json:"meters"`
	CreditEntitlementCart      []CreditEntitlementCartItem      `json:"credit_entitlement_cart"`
	MeterCreditEntitlementCart []MeterCreditEntitlementCartItem `json:"meter_credit_entitlement_cart"`
	PaymentMethodID            *string                          `json:"payment_method_id"`
	DiscountID                 *string                          `json:"discount_id"`
	DiscountCyclesRemaining    *int                             `json:"discount_cycles_remaining"`
	Discounts                  []AppliedDiscount                `json:"discounts"`
	TaxID                      *string                          `json:"tax_id"`
	CustomerBusinessName       *string                          `json:"customer_business_name"`
	PausedAt                   *Timestamp                       `json:"paused_at"`
	CancelledAt                *Timestamp                       `json:"cancelled_at"`
	ExpiresAt                  *Timestamp                       `json:"expires_at"`
	CancellationComment        *string                          `json:"cancellation_comment"`
	// CancellationFeedback is "too_expensive", "missing_features",
	// "switched_service", "unused", "customer_service", "low_quality",
	// "too_complex" or "other".
	CancellationFeedback *string               `json:"cancellation_feedback"`
	ScheduledChange      *ScheduledChange      `json:"scheduled_change"`
	CustomFieldResponses []CustomFieldResponse `json:"custom_field_responses"`
	Metadata             Metadata              `json:"metadata"`
}

// AddonCartItem is one add-on and its quantity on a subscription.
type AddonCartItem struct {
	AddonID  string `json:"addon_id"`
	Quantity int    `json:"quantity"`
}

// MeterCartItem is a usage meter billed with a subscription. The reference
// names the meters array but not its items: this shape is our best model.
type MeterCartItem struct {
	MeterID         string `json:"meter_id"`
	Name            string `json:"name"`
	MeasurementUnit string `json:"measurement_unit"`
	// PricePerUnit is in minor units, as a decimal string because a unit may
	// cost a fraction of a cent.
	PricePerUnit  string `json:"price_per_unit"`
	FreeThreshold int64  `json:"free_threshold"`
}

// CreditEntitlementCartItem is a credit allowance granted with a
// subscription. Its shape is our best model, not the platform's documented one.
type CreditEntitlementCartItem struct {
	CreditEntitlementID   string `json:"credit_entitlement_id"`
	CreditEntitlementName string `json:"credit_entitlement_name"`
	// Credits granted each billing period, as a decimal string.
	Credits string `json:"credits"`
}

// MeterCreditEntitlementCartItem says how a meter's usage consumes credits.
// Its shape is our best model, not the platform's documented one.
type MeterCreditEntitlementCartItem struct {
	MeterID             string `json:"meter_id"`
	CreditEntitlementID string `json:"credit_entitlement_id"`
	// UnitsPerCredit is how many metered units one credit buys, as a
	// decimal string.
	UnitsPerCredit string `json:"units_per_credit"`
}

// ScheduledChange is a plan change that takes effect at a later billing
// date. Its shape is our best model, not the platform's documented one.
type ScheduledChange struct {
	ID          string          `json:"id"`
	ProductID   string          `json:"product_id"`
	Quantity    int             `json:"quantity"`
	Addons      []AddonCartItem `json:"addons"`
	EffectiveAt Timestamp       `json:"effective_at"`
}

// LicenseKey is the data of license_key.* events. Status is "active",
// "expired" or "disabled"; Source is "auto" for keys issued by a purchase
// and "import" for keys the merchant imported. The optional fields are
// written as null when absent.
type LicenseKey struct {
	ID               string     `json:"id"`
	Key              string     `json:"key"`
	CustomerID       string     `json:"customer_id"`
	ProductID        string     `json:"product_id"`
	Status           string     `json:"status"`
	Source           string     `json:"source"`
	InstancesCount   int        `json:"instances_count"`
	ActivationsLimit *int       `json:"activations_limit"`
	PaymentID        *string    `json:"payment_id"`
	SubscriptionID   *string    `json:"subscription_id"`
	ExpiresAt        *Timestamp `json:"expires_at"`
}

package catalog

import "strings"

// This file is the platform's reference (payments-events.md, gathered from
// the platform's public SDK types and docs) transcribed by hand into test
// data. The catalogue is checked against it; when the reference changes,
// change this file first and let the tests say what the code must follow.

// referenceEventTypes are the event types, in the reference's order. The
// reference's heading says 48, but it lists these 47 names, and no 48th is
// known; the platform's SDK of the time listed 46 (all but
// subscription.unpaused). The catalogue follows the list, not the count.
var referenceEventTypes = []string{
	"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled",
	"refund.succeeded", "refund.failed",
	"dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
	"dispute.challenged", "dispute.won", "dispute.lost",
	"subscription.active", "subscription.renewed", "subscription.on_hold", "subscription.paused",
	"subscription.unpaused", "subscription.cancelled", "subscription.failed", "subscription.expired",
	"subscription.plan_changed", "subscription.updated", "subscription.update_payment_method",
	"license_key.created",
	"payout.created", "payout.on_hold", "payout.in_progress", "payout.failed", "payout.success",
	"credit.added", "credit.deducted", "credit.expired", "credit.rolled_over",
	"credit.rollover_forfeited", "credit.overage_charged", "credit.overage_reset",
	"credit.manual_adjustment", "credit.balance_low",
	"abandoned_checkout.detected", "abandoned_checkout.recovered",
	"dunning.started", "dunning.recovered",
	"entitlement_grant.created", "entitlement_grant.delivered", "entitlement_grant.failed",
	"entitlement_grant.revoked",
}

// referenceCategories are the categories the catalogue groups types by.
var referenceCategories = []string{
	"payment", "refund", "dispute", "subscription", "license_key",
	"payout", "credit", "abandoned_checkout", "dunning", "entitlement_grant",
}

// kind is the JSON type a field must have when it is not null.
type kind string

const (
	str      kind = "string"
	integer  kind = "integer"
	boolean  kind = "boolean"
	dateTime kind = "date-time"
	object   kind = "object"
	array    kind = "array"
)

// objectSpec is one object of the reference. A field is in exactly one of
// required (always present, never null), nullable (always present, may be
// null) and optional (may be absent). No other field may appear.
type objectSpec struct {
	name     string
	required map[string]kind
	nullable map[string]kind
	optional map[string]kind
	// enums lists the values the reference allows for some fields.
	enums map[string][]string
	// nested specs check the objects inside, such as customer.
	nested map[string]objectSpec
}

var customerSpec = objectSpec{
	name:     "customer",
	required: map[string]kind{"customer_id": str, "email": str, "name": str},
	nullable: map[string]kind{"phone_number": str},
	optional: map[string]kind{"metadata": object},
}

var billingSpec = objectSpec{
	name:     "billing",
	required: map[string]kind{"country": str},
	nullable: map[string]kind{"city": str, "state": str, "street": str, "zipcode": str},
}

var paymentSpec = objectSpec{
	name: "Payment",
	required: map[string]kind{
		"payment_id": str, "business_id": str, "brand_id": str,
		"created_at": dateTime, "currency": str, "total_amount": integer,
		"customer": object, "billing": object,
		"digital_products_delivered": boolean, "is_update_payment_method": boolean,
		"disputes": array, "refunds": array, "metadata": object,
		"payment_provider": str, "retry_attempt": integer,
		"settlement_amount": integer, "settlement_currency": str,
	},
	nullable: map[string]kind{
		"status": str, "subscription_id": str,
		"payment_method": str, "payment_method_id": str, "payment_method_type": str,
		"product_cart": array, "tax": integer, "settlement_tax": integer,
		"card_last_four": str, "card_network": str, "card_type": str,
		"card_holder_name": str, "card_issuing_country": str,
		"checkout_session_id": str, "discount_id": str, "discounts": array,
		"custom_field_responses": array, "error_code": str, "error_message": str,
		"invoice_id": str, "invoice_url": str, "payment_link": str,
		"refund_status": str, "updated_at": dateTime,
	},
	enums: map[string][]string{
		"status": {
			"succeeded", "failed", "cancelled", "processing", "requires_customer_action",
			"requires_merchant_action", "requires_payment_method", "requires_confirmation",
			"requires_capture", "partially_captured", "partially_captured_and_capturable",
		},
		"payment_provider": {"stripe", "adyen", "dodo"},
		"refund_status":    {"partial", "full"},
	},
	nested: map[string]objectSpec{"customer": customerSpec, "billing": billingSpec},
}

var subscriptionSpec = objectSpec{
	name: "Subscription",
	required: map[string]kind{
		"subscription_id": str, "product_id": str, "brand_id": str, "status": str,
		"customer": object, "billing": object, "currency": str, "metadata": object,
		"recurring_pre_tax_amount": integer, "quantity": integer,
		"tax_inclusive": boolean, "cancel_at_next_billing_date": boolean, "on_demand": boolean,
		"created_at": dateTime, "next_billing_date": dateTime, "previous_billing_date": dateTime,
		"payment_frequency_count": integer, "subscription_period_count": integer,
		"payment_frequency_interval": str, "subscription_period_interval": str,
		"trial_period_days": integer,
		"addons":            array, "meters": array, "credit_entitlement_cart": array,
		"meter_credit_entitlement_cart": array,
	},
	nullable: map[string]kind{
		"cancelled_at": dateTime, "expires_at": dateTime, "paused_at": dateTime,
		"cancellation_comment": str, "cancellation_feedback": str,
		"discount_id": str, "discount_cycles_remaining": integer, "discounts": array,
		"payment_method_id": str, "tax_id": str, "customer_business_name": str,
		"scheduled_change": object, "trial_amount": integer, "custom_field_responses": array,
	},
	enums: map[string][]string{
		"status":                       {"pending", "active", "on_hold", "paused", "cancelled", "failed", "expired"},
		"payment_frequency_interval":   {"Day", "Week", "Month", "Year"},
		"subscription_period_interval": {"Day", "Week", "Month", "Year"},
		"cancellation_feedback": {
			"too_expensive", "missing_features", "switched_service", "unused",
			"customer_service", "low_quality", "too_complex", "other",
		},
	},
	nested: map[string]objectSpec{"customer": customerSpec, "billing": billingSpec},
}

var refundSpec = objectSpec{
	name: "Refund",
	required: map[string]kind{
		"refund_id": str, "payment_id": str, "business_id": str, "brand_id": str,
		"created_at": dateTime, "customer": object, "is_partial": boolean,
		"metadata": object, "status": str,
	},
	nullable: map[string]kind{"amount": integer, "currency": str, "reason": str},
	nested:   map[string]objectSpec{"customer": customerSpec},
}

// disputeSpec: the reference lists every field without marking any
// nullable, and amount is a string.
var disputeSpec = objectSpec{
	name: "Dispute",
	required: map[string]kind{
		"dispute_id": str, "payment_id": str, "business_id": str, "amount": str,
		"currency": str, "created_at": dateTime, "dispute_stage": str,
		"dispute_status": str, "remarks": str, "is_resolved_by_rdr": boolean,
	},
}

var licenseKeySpec = objectSpec{
	name: "LicenseKey",
	required: map[string]kind{
		"id": str, "key": str, "customer_id": str, "product_id": str,
		"status": str, "source": str, "instances_count": integer,
	},
	optional: map[string]kind{
		"payment_id": str, "subscription_id": str, "activations_limit": integer,
		"expires_at": dateTime,
	},
}

// documentedSpecs maps the categories whose data the reference details to
// the object they carry.
var documentedSpecs = map[string]objectSpec{
	"payment":      paymentSpec,
	"refund":       refundSpec,
	"dispute":      disputeSpec,
	"subscription": subscriptionSpec,
	"license_key":  licenseKeySpec,
}

// threeDecimalCurrencies are the ISO 4217 currencies whose minor unit is a
// thousandth.
var threeDecimalCurrencies = []string{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}

// iso4217 is the list of active ISO 4217 currency codes.
var iso4217 = strings.Fields(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK
DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP
TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG
XOF XPF YER ZAR ZMW ZWG`)

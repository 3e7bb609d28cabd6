package catalog

import (
	"fmt"
	"strings"
	"time"
)

// definition is one event type before its sample is marshalled. The sample's
// envelope is assembled from it, so its type always equals the name, and the
// category is the part of the name before the dot.
type definition struct {
	name        string
	description string
	businessID  string
	// at is the envelope timestamp, in TimestampLayout.
	at   string
	data any
}

func (d definition) category() string {
	category, _, _ := strings.Cut(d.name, ".")
	return category
}

func (d definition) envelope() Envelope[any] {
	return Envelope[any]{
		BusinessID: d.businessID,
		Type:       d.name,
		Timestamp:  mustTime(d.at),
		Data:       d.data,
	}
}

// definitions lists every event type in the order of the platform's
// reference. The samples tell a few connected stories: Jane Doe's monthly
// Pro subscription in USD (payment, renewal failure, dunning, cancellation),
// a one-off purchase in JPY by a customer in Tokyo (license key, dispute),
// a customer in Kuwait billed in KWD (credits, abandoned checkout), and
// payouts to merchants in the United States, Japan and Kuwait.
func definitions() []definition {
	var defs []definition
	for _, group := range [][]definition{
		paymentDefinitions(),
		refundDefinitions(),
		disputeDefinitions(),
		subscriptionDefinitions(),
		licenseKeyDefinitions(),
		payoutDefinitions(),
		creditDefinitions(),
		abandonedCheckoutDefinitions(),
		dunningDefinitions(),
		entitlementGrantDefinitions(),
	} {
		defs = append(defs, group...)
	}
	return defs
}

// mustTime parses a fixed date-time written in TimestampLayout. It panics on
// a malformed literal, a programming error that the package's tests catch.
func mustTime(text string) Timestamp {
	t, err := time.Parse(TimestampLayout, text)
	if err != nil {
		panic(fmt.Sprintf("catalog: bad fixed timestamp %q: %v", text, err))
	}
	return Timestamp{t}
}

// The merchants the samples are about.
const (
	acmeBusiness   = "bus_Bq4tN8kW2xLr7Yp3Zc9Hd" // sells in USD, also to Japan and Kuwait
	acmeBrand      = "brd_Ks2Lp9Qw4Vx7Mn3Rt8Yb"
	tokyoBusiness  = "bus_Jt5Rk8Nw3Qy6Lm9Vx2Pc" // paid out in JPY
	kuwaitBusiness = "bus_Kw7Hd2Zm5Tr8Nq4Yb6Lx" // paid out in KWD
)

// The products the samples sell.
const (
	proPlan              = "pdt_6Vn2Qs8Kx4Lw9Rb3Hm7Tj" // monthly subscription, 29.99 USD
	teamPlan             = "pdt_3Hk7Rm2Wx9Nc5Tq8Lb4Vs" // monthly, 19.99 USD per seat
	desktopApp           = "pdt_8Rw3Nc6Kv9Tq2Xm5Jh4Ls" // one-off purchase with a license key
	designKit            = "pdt_5Tb9Lq3Wn7Kx2Rm8Hc6Vd" // one-off digital download
	scalePlan            = "pdt_2Xq6Km9Rv4Lt7Nb3Wh8Jc" // monthly with API credits
	japanTermPlan        = "pdt_9Lc4Vx7Nq2Km6Rt3Wb8Hs" // 12 months, 980 JPY a month
	prioritySupportAddon = "adn_7Kd3Qx8Lm2Vr6Nt9Hb4Wc"
)

// The customers and their ids.
const (
	janeCustomerID   = "cus_8Fh3Kq9Wm2Xr5Tz7Lb4Nc"
	harutoCustomerID = "cus_2Jm7Pq4Xs9Kt6Wd3Lr8Nb"
	lenaCustomerID   = "cus_6Wr9Lx3Kn7Qb2Tm5Vh8Jd"
	nasserCustomerID = "cus_4Qn8Vt2Rx6Lk9Wb3Hm7Tc"
)

// Ids shared by several samples.
const (
	janeSubscription     = "sub_4Nc8Wq2Lx6Rt9Km3Vb7Hd"
	janeFirstPayment     = "pay_3Tq8Lw2Kx9Vm4Rb7Hn5Yc" // 32.65 USD, succeeded
	janeFailedRenewal    = "pay_5Kd9Wr2Tx7Lq4Mb8Hn3Vz" // 32.65 USD, failed
	janeRecoveredRenewal = "pay_7Hb2Nx5Kq8Wt3Lm6Rc9Vd" // the retry that succeeded
	janeCard             = "pm_9Xc4Tb7Kq2Wn5Ls8Rv3Hd"
	harutoPayment        = "pay_6Rk3Tx8Nw2Lq5Vb9Hm4Jc" // 4,980 JPY
	nasserSubscription   = "sub_8Tm3Kw6Nx2Rq9Lb5Vh7Jd"
	nasserCheckout       = "pay_9Wv4Lc7Km2Xt5Rn8Hb3Qd" // 12.500 KWD, abandoned
	apiCreditsID         = "cde_3Rn7Wk2Tx9Lq5Vm8Hb4Jc"
	apiCreditsName       = "API credits"
	tokyoPayout          = "po_5Nq8Rx3Kt7Wm2Lb9Vc6Hd"
	discordEntitlement   = "ent_2Vk7Nq4Tx9Wr3Lm8Hb5Jc"
	githubEntitlement    = "ent_8Hm3Wx6Kq2Tr9Lb5Nv7Jc"
	janeDiscordGrant     = "egr_6Tb3Kx8Wq2Nm5Rv9Lh4Jd"
	harutoGitHubGrant    = "egr_4Lq9Vr2Kx7Tn3Wm8Hc5Jb"
)

func jane() Customer {
	return Customer{
		CustomerID:  janeCustomerID,
		Email:       "jane.doe@example.com",
		Name:        "Jane Doe",
		PhoneNumber: new("+12125550147"),
	}
}

func janeBilling() Billing {
	return Billing{
		Country: "US",
		City:    new("New York"),
		State:   new("NY"),
		Street:  new("350 5th Ave, Apt 21B"),
		Zipcode: new("10118"),
	}
}

// haruto is a customer in Tokyo; names with non-Latin letters are common and
// transformations must carry them intact.
func haruto() Customer {
	return Customer{
		CustomerID:  harutoCustomerID,
		Email:       "haruto.sato@example.jp",
		Name:        "佐藤 陽翔",
		PhoneNumber: new("+819012345678"),
	}
}

func harutoBilling() Billing {
	return Billing{
		Country: "JP",
		City:    new("Shibuya-ku"),
		State:   new("Tokyo"),
		Street:  new("2-21-1 Shibuya"),
		Zipcode: new("150-8510"),
	}
}

// lena is a customer in Berlin who gave no phone number and only a country
// and postcode, as many checkouts allow.
func lena() Customer {
	return Customer{
		CustomerID:  lenaCustomerID,
		Email:       "lena.fischer@example.de",
		Name:        "Lena Fischer",
		PhoneNumber: nil,
	}
}

func lenaBilling() Billing {
	return Billing{Country: "DE", Zipcode: new("10115")}
}

// nasser is a customer in Kuwait, billed in KWD (three decimals: 12.500 KWD
// is 12500 fils). His customer record carries the merchant's metadata.
func nasser() Customer {
	return Customer{
		CustomerID:  nasserCustomerID,
		Email:       "nasser.almutairi@example.com",
		Name:        "Nasser Al-Mutairi",
		Metadata:    Metadata{"account_tier": "scale", "workspace_id": "ws_1842"},
		PhoneNumber: new("+96550012345"),
	}
}

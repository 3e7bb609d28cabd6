package browser_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
)

// TestVerifyButton checks Customer.io credentials from the add-endpoint
// form before Create: a wrong region is named with a switch that sets the
// region field, after which the check says valid; a wrong key says so;
// and the fake sees only the account-region call.
func TestVerifyButton(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"VerifyCustomerIOBeforeCreate", verifyCustomerIO},
	})
}

func verifyCustomerIO(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints")
	b.click(t, "[data-action=add-endpoint]")
	b.click(t, "button[data-integration=customerio]")
	b.waitFor(t, "the Customer.io form", `document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
	b.fill(t, "input[name=site_id]", customeriotest.SiteID)
	b.fill(t, "input[name=api_key]", customeriotest.APIKey)
	b.do(t, setSelect("select[name=region]", "eu"))

	b.click(t, "[data-action=verify-credentials]")
	b.waitFor(t, "the wrong region", `document.querySelector(".verify-result [data-result=wrong_region]")`)
	b.screenshot(t, "verify-wrong-region")
	b.click(t, "[data-action=switch-region]")
	if region := eval[string](t, b, `document.querySelector("select[name=region]").value`); region != "us" {
		t.Fatalf("after the switch the region is %q, want us", region)
	}
	b.click(t, "[data-action=verify-credentials]")
	b.waitFor(t, "valid", `document.querySelector(".verify-result [data-result=valid]")`)

	b.fill(t, "input[name=api_key]", "not-the-key")
	b.click(t, "[data-action=verify-credentials]")
	b.waitFor(t, "the wrong key", `document.querySelector(".verify-result [data-result=wrong_key]")`)
	if shown := b.text(t, ".verify-result"); strings.Contains(shown, "not-the-key") || strings.Contains(shown, customeriotest.APIKey) {
		t.Errorf("the result shows a key: %q", shown)
	}
	for _, r := range e.customer.Requests() {
		if r.Method != "GET" || r.Path != "/api/v1/accounts/region" {
			t.Errorf("the check sent %s %s to Customer.io", r.Method, r.Path)
		}
	}
	b.assertNoPageProblems(t)
}

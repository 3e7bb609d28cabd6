package hubspot_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/hubspot"
	"github.com/hookbridge/hookbridge/integration/hubspot/hubspottest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestVerify(t *testing.T) {
	// A token without any scope may still read the account details.
	fake := hubspottest.New(t, hubspottest.WithScopes())
	v, sent := kittest.Verify(t, hubspot.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid || !strings.Contains(v.Message, hubspottest.PortalID) {
		t.Fatalf("a good token: %+v", v)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Path != hubspottest.AccountInfoPath {
		t.Fatalf("the check should be one GET %s: %+v", hubspottest.AccountInfoPath, reqs)
	}
	creds := fake.Credentials()
	creds["access_token"] = "pat-na1-wrong"
	if v, _ := kittest.Verify(t, hubspot.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong token: %+v", v)
	}
	if fake.Contacts() != 0 || len(fake.Tasks()) != 0 {
		t.Error("the check wrote to HubSpot")
	}
}

package mixpanel_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

func TestVerify(t *testing.T) {
	fake := mixpaneltest.New(t)
	v, sent := kittest.Verify(t, mixpanel.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid {
		t.Fatalf("a good service account: %+v", v)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != mixpaneltest.MePath || reqs[0].Host != "mixpanel.com" {
		t.Fatalf("the check should be one GET %s on mixpanel.com: %+v", mixpaneltest.MePath, reqs)
	}
	creds := fake.Credentials()
	creds[mixpanel.FieldSecret] = "wrong-secret"
	if v, _ := kittest.Verify(t, mixpanel.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong secret: %+v", v)
	}
	creds = fake.Credentials()
	creds[mixpanel.FieldProjectID] = "999"
	if v, _ := kittest.Verify(t, mixpanel.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey {
		t.Fatalf("a project the account cannot use: %+v", v)
	}
	if len(fake.Events()) != 0 {
		t.Error("the check imported events")
	}
}

func TestVerifyRegionHost(t *testing.T) {
	fake := mixpaneltest.New(t, mixpaneltest.WithRegion("eu"))
	kittest.Verify(t, mixpanel.New(), fake.Credentials(), fake.Client())
	if got := fake.Requests()[0].Host; got != "eu.mixpanel.com" {
		t.Fatalf("an EU project's check went to %s", got)
	}
}

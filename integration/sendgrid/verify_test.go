package sendgrid_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
	"github.com/hookbridge/hookbridge/integration/sendgrid/sendgridtest"
)

func TestVerify(t *testing.T) {
	fake := sendgridtest.New(t)
	v, sent := kittest.Verify(t, sendgrid.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid {
		t.Fatalf("a good key: %+v", v)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Path != sendgridtest.ScopesPath || reqs[0].Host != sendgrid.HostGlobal {
		t.Fatalf("the check should be one call of %s on the global host: %+v", sendgridtest.ScopesPath, reqs)
	}
	creds := fake.Credentials()
	creds["api_key"] = "SG.wrong"
	if v, _ := kittest.Verify(t, sendgrid.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey {
		t.Fatalf("a wrong key: %+v", v)
	}
	if len(fake.Sent()) != 0 {
		t.Error("the check sent mail")
	}
}

func TestVerifyRegionAndScopes(t *testing.T) {
	eu := sendgridtest.New(t, sendgridtest.WithRegion("eu"))
	creds := eu.Credentials()
	if v, _ := kittest.Verify(t, sendgrid.New(), creds, eu.Client()); v.Result != hookbridge.VerifyValid {
		t.Fatalf("an EU key on the EU host: %+v", v)
	}
	creds["region"] = "global"
	if v, _ := kittest.Verify(t, sendgrid.New(), creds, eu.Client()); v.Result != hookbridge.VerifyWrongKey || v.Fix == "" {
		t.Fatalf("an EU key on the global host: %+v", v)
	}
	readOnly := sendgridtest.New(t, sendgridtest.WithScopes("templates.read"))
	if v, _ := kittest.Verify(t, sendgrid.New(), readOnly.Credentials(), readOnly.Client()); v.Result != hookbridge.VerifyWrongKey {
		t.Fatalf("a key without mail.send: %+v", v)
	}
}

package customerio_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestVerifyValid(t *testing.T) {
	fake := customeriotest.New(t)
	v, sent := kittest.Verify(t, customerio.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid || v.Region != "us" {
		t.Fatalf("good US credentials: %+v", v)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != customerio.RegionPath || reqs[0].Method != "GET" {
		t.Fatalf("the check should be one GET of the region call: %+v", reqs)
	}
	if len(fake.Accepted()) != 0 {
		t.Errorf("the check sent an operation: %+v", fake.Accepted())
	}
}

func TestVerifyWrongKey(t *testing.T) {
	fake := customeriotest.New(t)
	creds := fake.Credentials()
	creds["api_key"] = "not-the-key"
	v, _ := kittest.Verify(t, customerio.New(), creds, fake.Client())
	if v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong API key: %+v", v)
	}
	if strings.Contains(v.Message+v.Fix, "not-the-key") {
		t.Errorf("the key is in the verification: %+v", v)
	}
}

// An EU account's credentials saved with region us: the region call,
// made on the US host, names the EU region and offers to switch.
func TestVerifyWrongRegionOffersSwitch(t *testing.T) {
	fake := customeriotest.New(t, customeriotest.WithRegion("eu"))
	creds := fake.Credentials()
	creds["region"] = "us"
	v, _ := kittest.Verify(t, customerio.New(), creds, fake.Client())
	if v.Result != hookbridge.VerifyWrongRegion || v.Region != "eu" || v.Switch["region"] != "eu" {
		t.Fatalf("an EU account set to us: %+v", v)
	}
	if got := fake.Requests()[0].Host; got != customerio.HostUS {
		t.Errorf("the region call went to %s, want the US host", got)
	}
	// The other way round: a US account set to eu.
	us := customeriotest.New(t)
	creds = us.Credentials()
	creds["region"] = "eu"
	v, _ = kittest.Verify(t, customerio.New(), creds, us.Client())
	if v.Result != hookbridge.VerifyWrongRegion || v.Switch["region"] != "us" {
		t.Fatalf("a US account set to eu: %+v", v)
	}
}

func TestVerifyEUAccount(t *testing.T) {
	fake := customeriotest.New(t, customeriotest.WithRegion("eu"))
	v, _ := kittest.Verify(t, customerio.New(), fake.Credentials(), fake.Client())
	if v.Result != hookbridge.VerifyValid || v.Region != "eu" {
		t.Fatalf("good EU credentials: %+v", v)
	}
}

func TestVerifyOutage(t *testing.T) {
	fake := customeriotest.New(t)
	fake.FailNext(1, 503)
	v, _ := kittest.Verify(t, customerio.New(), fake.Credentials(), fake.Client())
	if v.Result != hookbridge.VerifyCannotCheck {
		t.Fatalf("a 503: %+v", v)
	}
}

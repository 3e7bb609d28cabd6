package windmill_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/windmill"
	"github.com/hookbridge/hookbridge/integration/windmill/windmilltest"
)

func TestVerify(t *testing.T) {
	fake := windmilltest.New(t)
	v, sent := kittest.Verify(t, windmill.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid {
		t.Fatalf("a good token: %+v", v)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/w/"+windmilltest.Workspace+"/users/whoami" || reqs[0].Host != windmilltest.Host {
		t.Fatalf("the check should be one whoami on the URL's host: %+v", reqs)
	}
	creds := fake.Credentials()
	creds[windmill.FieldToken] = "wrong"
	if v, _ := kittest.Verify(t, windmill.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong token: %+v", v)
	}
	creds = fake.Credentials()
	creds[windmill.FieldWebhookURL] = strings.Replace(creds[windmill.FieldWebhookURL], "/w/"+windmilltest.Workspace+"/", "/w/other/", 1)
	if v, _ := kittest.Verify(t, windmill.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 404 {
		t.Fatalf("another workspace: %+v", v)
	}
	if len(fake.Jobs()) != 0 {
		t.Error("the check ran a job")
	}
}

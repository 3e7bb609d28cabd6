package loops_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/loops"
	"github.com/hookbridge/hookbridge/integration/loops/loopstest"
)

func TestVerify(t *testing.T) {
	fake := loopstest.New(t)
	v, sent := kittest.Verify(t, loops.New(), fake.Credentials(), fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid || !strings.Contains(v.Message, loopstest.TeamName) {
		t.Fatalf("a good key: %+v", v)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Path != loopstest.APIKeyPath {
		t.Fatalf("the check should be one call of %s: %+v", loopstest.APIKeyPath, reqs)
	}
	creds := fake.Credentials()
	creds["api_key"] = "wrong-key"
	if v, _ := kittest.Verify(t, loops.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong key: %+v", v)
	}
	if len(fake.Emails())+len(fake.Events())+len(fake.Contacts()) != 0 {
		t.Error("the check sent something to Loops")
	}
}

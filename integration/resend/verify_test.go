package resend_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/resend"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
)

func TestVerify(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []resendtest.Option
		key  string
		want string
	}{
		{"full access", nil, "", hookbridge.VerifyValid},
		{"sending access", []resendtest.Option{resendtest.WithSendingAccess()}, "", hookbridge.VerifyValid},
		{"unknown key", nil, "re_wrong", hookbridge.VerifyWrongKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := resendtest.New(t, tc.opts...)
			creds := fake.Credentials()
			if tc.key != "" {
				creds["api_key"] = tc.key
			}
			v, sent := kittest.Verify(t, resend.New(), creds, fake.Client())
			if !sent || v.Result != tc.want {
				t.Fatalf("got %+v, want %s", v, tc.want)
			}
			if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Path != resendtest.DomainsPath {
				t.Fatalf("the check should be one GET %s: %+v", resendtest.DomainsPath, reqs)
			}
			if len(fake.Sent()) != 0 {
				t.Error("the check sent email")
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/node"
)

// run executes the CLI as a user would, with args, and returns what it
// printed and its error (a non-nil error is a non-zero exit).
func run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

const adminToken = "hbk_cli-test-admin-token-012345"

// startServer starts a hookbridge node for the CLI to talk to.
func startServer(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	n, err := node.Open(ctx, node.Config{DataDir: t.TempDir(), AdminToken: adminToken, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done; n.Close() })
	return "http://" + ln.Addr().String()
}

func createSource(t *testing.T, server string) (id, secret string) {
	t.Helper()
	req, _ := http.NewRequest("POST", server+"/api/v1/apps/default/sources", strings.NewReader(`{"name":"cli"}`))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var src struct{ ID, Secret string }
	if err := jsonDecode(resp.Body, &src); err != nil || src.Secret == "" {
		t.Fatalf("create source: %v %+v", err, src)
	}
	return src.ID, src.Secret
}

func TestTriggerSendsASignedSampleToASource(t *testing.T) {
	server := startServer(t)
	id, secret := createSource(t, server)
	out, err := run(t, "", "trigger", "payment.succeeded", "--server", server, "--source", id, "--secret", secret)
	if err != nil || !strings.Contains(out, "200 OK") || !strings.Contains(out, `"event_type":"payment.succeeded"`) {
		t.Fatalf("trigger: %v\n%s", err, out)
	}
	out, err = run(t, "", "trigger", "payment.succeeded", "--server", server, "--source", id, "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err == nil || !strings.Contains(out, "401") {
		t.Fatalf("trigger with a wrong secret: err %v, output %s; want a 401 and a non-zero exit", err, out)
	}
	_, err = run(t, "", "trigger", "payment.exploded", "--source", id, "--secret", secret)
	if err == nil || !strings.Contains(err.Error(), "hookbridge event-types") {
		t.Fatalf("unknown event type: %v, want advice to list event types", err)
	}
}

func writeTemplate(t *testing.T, integration, id string) string {
	t.Helper()
	for _, in := range builtin.All() {
		for _, tpl := range in.Info().Templates {
			if in.Info().ID == integration && tpl.ID == id {
				path := filepath.Join(t.TempDir(), id+".js")
				if err := os.WriteFile(path, []byte(tpl.Code), 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			}
		}
	}
	t.Fatalf("no template %s/%s", integration, id)
	return ""
}

func TestTransformShowsTheRequestAndProblems(t *testing.T) {
	seg := writeTemplate(t, "segment", "docs-payment-events")
	out, err := run(t, "", "transform", seg, "--event", "payment.succeeded", "--integration", "segment")
	if err != nil || !strings.Contains(out, "POST https://api.segment.io/v1/track") || !strings.Contains(out, `"event": "Payment Completed"`) ||
		!strings.Contains(out, "Authorization: Basic ********") {
		t.Fatalf("transform segment: %v\n%s", err, out)
	}
	out, err = run(t, "", "transform", seg, "--event", "payment.succeeded", "--integration", "segment", "--credential", "region=eu")
	if err != nil || !strings.Contains(out, "POST https://events.eu1.segmentapis.com/v1/track") {
		t.Fatalf("transform segment eu: %v\n%s", err, out)
	}
	cio := writeTemplate(t, "customerio", "docs-payment-tracking")
	out, err = run(t, "", "transform", cio, "--event", "payment.succeeded", "--integration", "customerio")
	if err == nil || !strings.Contains(out, "would not accept") || !strings.Contains(out, `name: "payment_completed"`) {
		t.Fatalf("transform customer.io doc handler: err %v\n%s; want a non-zero exit with the fix", err, out)
	}
	out, err = run(t, "", "transform", seg, "--event", "refund.succeeded", "--integration", "segment")
	if err != nil || !strings.Contains(out, "skipped:") {
		t.Fatalf("transform an unhandled event: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.js")
	os.WriteFile(bad, []byte("function handler(webhook) {\n  throw new Error('boom');\n}"), 0o600)
	if _, err = run(t, "", "transform", bad, "--event", "payment.succeeded"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a throwing handler: %v, want an error naming line 2", err)
	}
}

func TestSignAndVerifyTheSpecificationVector(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := `{"test": 2432232314}`
	out, err := run(t, body, "sign", "--secret", secret, "--id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330")
	if err != nil || !strings.Contains(out, "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") {
		t.Fatalf("sign: %v\n%s", err, out)
	}
	args := []string{"verify", "--secret", secret, "--id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330", "--tolerance", "-1s"}
	if out, err := run(t, body, append(args, "--signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")...); err != nil || !strings.Contains(out, "verified") {
		t.Fatalf("verify good: %v\n%s", err, out)
	}
	if _, err := run(t, body, append(args, "--signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")...); err == nil {
		t.Fatal("verify accepted the wrong signature")
	}
	if _, err := run(t, body, "verify", "--secret", secret, "--id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330",
		"--signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="); err == nil || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("verify with the default tolerance: %v, want too old", err)
	}
}

// TestVerifySvixHeaders: verify reads captured headers under their Svix
// names as well as their Standard Webhooks names; webhook-* wins where both
// are given, and a good entry verifies beside entries it cannot use.
func TestVerifySvixHeaders(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	const good, wrong = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	body := `{"test": 2432232314}`
	verify := func(headers ...string) (string, error) {
		args := []string{"verify", "--secret", secret, "--tolerance", "-1s"}
		for _, h := range headers {
			args = append(args, "-H", h)
		}
		return run(t, body, args...)
	}
	svix := []string{"svix-id: msg_p5jXN8AQM9LWM0D4loKWxJek", "svix-timestamp: 1614265330"}
	if out, err := verify(append(svix, "svix-signature: "+good)...); err != nil || !strings.Contains(out, "verified") {
		t.Fatalf("svix-* headers: %v\n%s", err, out)
	}
	if out, err := verify(append(svix, "svix-signature: v1,notbase64!! v2,x "+good)...); err != nil {
		t.Fatalf("svix-* headers, a good entry beside others: %v\n%s", err, out)
	}
	if _, err := verify(append(svix, "svix-signature: "+good, "webhook-signature: "+wrong)...); err == nil || !strings.Contains(err.Error(), "no matching") {
		t.Fatalf("both names, the webhook-* one wrong: %v, want no matching signature", err)
	}
	if _, err := verify(svix...); err == nil || !strings.Contains(err.Error(), "svix-signature") {
		t.Fatalf("no signature: %v, want it to name svix-signature", err)
	}
	if _, err := verify("no colon"); err == nil || !strings.Contains(err.Error(), "name: value") {
		t.Fatalf("a malformed --header: %v", err)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range newRootCommand().Commands() {
		out, err := run(t, "", c.Name(), "--help")
		want := c.Long
		if want == "" {
			want = c.Short
		}
		if err != nil || !strings.Contains(out, "Usage:") || !strings.Contains(out, strings.SplitN(want, "\n", 2)[0]) {
			t.Errorf("%s --help: %v\n%s", c.Name(), err, out)
		}
	}
}

func TestConfigHidesSecrets(t *testing.T) {
	t.Setenv("HOOKBRIDGE_ADMIN_TOKEN", "hbk_super-secret-admin-token")
	t.Setenv("HOOKBRIDGE_ADDR", "127.0.0.1:9999")
	out, err := run(t, "", "config")
	if err != nil || strings.Contains(out, "super-secret") || !strings.Contains(out, "(set, hidden)") || !strings.Contains(out, "127.0.0.1:9999") {
		t.Fatalf("config: %v\n%s", err, out)
	}
	t.Setenv("HOOKBRIDGE_WORKERS", "many")
	if _, err := run(t, "", "config"); err == nil || !strings.Contains(err.Error(), "HOOKBRIDGE_WORKERS") {
		t.Fatalf("a malformed environment value: %v, want an error naming it", err)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

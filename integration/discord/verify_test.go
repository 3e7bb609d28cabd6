package discord_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestVerify(t *testing.T) {
	fake := discordtest.New(t)
	creds := fake.Credentials()
	v, sent := kittest.Verify(t, discord.New(), creds, fake.Client())
	if !sent || v.Result != hookbridge.VerifyValid {
		t.Fatalf("a good webhook URL: %+v", v)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Method != "GET" {
		t.Fatalf("the check should be one GET: %+v", reqs)
	}
	creds[discord.FieldWebhookURL] = creds[discord.FieldWebhookURL] + "x"
	if v, _ := kittest.Verify(t, discord.New(), creds, fake.Client()); v.Result != hookbridge.VerifyWrongKey || v.Status != 401 {
		t.Fatalf("a wrong token: %+v", v)
	}
	if len(fake.Messages()) != 0 {
		t.Error("the check posted a message")
	}
}

func TestVerifyForeignURL(t *testing.T) {
	v, sent := kittest.Verify(t, discord.New(), hookbridge.Credentials{discord.FieldWebhookURL: "https://example.com/api/webhooks/1/abc"}, nil)
	if sent || v.Result != hookbridge.VerifyWrongKey || !strings.Contains(v.Message, "example.com") {
		t.Fatalf("a URL that is not Discord's: sent %v, %+v", sent, v)
	}
}

package teams_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/teams"
	"github.com/hookbridge/hookbridge/integration/teams/teamstest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate and ReadAnswer of a
// template's request read its body once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := teams.New()
	et, _ := catalog.Lookup("payment.succeeded")
	url := teamstest.WorkflowURL(teamstest.PowerPlatformHost)
	req, _ := templatetest.RunPrepared(t, integ, templatetest.ByID(t, integ, "payments"), et.Name, et.Sample, url,
		hookbridge.Credentials{teams.FieldWebhookURL: url}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1", Now: time.Now()})
	if ps := integ.Validate(req, time.Now()); len(ps) > 0 {
		t.Fatalf("problems: %+v", ps)
	}
	integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 400, Body: []byte(`{"error":{"code":"InvalidRequestContent","message":"bad"}}`)})
	if n := req.BodyReads(); n != 1 {
		t.Errorf("the body was read %d times, want once", n)
	}
}

package flatevent

import (
	"embed"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

//go:embed templates/*.js
var files embed.FS

// DeliveryIDField is the body field Prepare fills with the delivery's
// idempotency key: the same on every retry of one event, so that a Zap,
// scenario or workflow can drop an event it has already seen.
const DeliveryIDField = "delivery_id"

// Event types each template handles.
var (
	PaymentEvents      = []string{"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"}
	SubscriptionEvents = []string{
		"subscription.active", "subscription.renewed", "subscription.on_hold",
		"subscription.paused", "subscription.unpaused", "subscription.cancelled",
		"subscription.failed", "subscription.expired", "subscription.plan_changed",
		"subscription.updated", "subscription.update_payment_method",
	}
	RefundEvents  = []string{"refund.succeeded", "refund.failed"}
	DisputeEvents = []string{
		"dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
		"dispute.challenged", "dispute.won", "dispute.lost",
	}
)

// Templates returns the four flat-event templates for tool (its display
// name, used in the descriptions): payments, subscriptions, refunds and
// disputes.
func Templates(tool string) []hookbridge.Template {
	return kit.LoadTemplates(files, []kit.Template{
		{File: "templates/payments.js", Template: hookbridge.Template{
			ID: "payments", Name: "Payments",
			Description: "Each payment event as one flat object for " + tool + "'s field picker: payment, customer and card fields, the amount as a number, a formatted string and minor units, times as ISO 8601 and Unix seconds.",
			EventTypes:  slices.Clone(PaymentEvents),
		}},
		{File: "templates/subscriptions.js", Template: hookbridge.Template{
			ID: "subscriptions", Name: "Subscriptions",
			Description: "Each subscription event as one flat object for " + tool + ": status, plan, the recurring amount three ways, and every billing date as ISO 8601 and Unix seconds.",
			EventTypes:  slices.Clone(SubscriptionEvents),
		}},
		{File: "templates/refunds.js", Template: hookbridge.Template{
			ID: "refunds", Name: "Refunds",
			Description: "Each refund event as one flat object for " + tool + ": refund and payment ids, reason, partial or not, the amount three ways.",
			EventTypes:  slices.Clone(RefundEvents),
		}},
		{File: "templates/disputes.js", Template: hookbridge.Template{
			ID: "disputes", Name: "Disputes",
			Description: "Each dispute event as one flat object for " + tool + ": stage, status, remarks and the disputed amount three ways.",
			EventTypes:  slices.Clone(DisputeEvents),
		}},
	})
}

// AddDeliveryID sets DeliveryIDField of a JSON object body to key unless
// the handler set it; other bodies are left as they are.
func AddDeliveryID(req *hookbridge.OutboundRequest, key string) error {
	if key == "" || len(req.Body) == 0 {
		return nil
	}
	if _, err := req.Object(); err != nil {
		return nil // not an object: Validate says so
	}
	if _, err := req.SetStringIfMissing(DeliveryIDField, key); err != nil {
		return fmt.Errorf("add %s: %w", DeliveryIDField, err)
	}
	return nil
}

// Limits are what one tool's catch hook takes.
type Limits struct {
	// Tool is the tool's display name.
	Tool string
	// MaxBytes bounds the request body.
	MaxBytes int
	// Methods are the HTTP methods the hook takes with a body (POST
	// first).
	Methods []string
}

// Validate lists what a catch hook would refuse in req, or read other
// than meant: a method it does not take, a body over its size limit, a
// body that is not a JSON object (refused), and — as warnings — nested
// objects or arrays that its field picker shows poorly, and an event
// without event_type to filter on.
func Validate(req *hookbridge.OutboundRequest, lim Limits) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(lim.Methods) > 0 && !slices.Contains(lim.Methods, strings.ToUpper(req.Method)) {
		ps = append(ps, kit.Problem("method",
			fmt.Sprintf("%s's hook takes %s, not %s", lim.Tool, strings.Join(lim.Methods, " or "), req.Method),
			"leave webhook.method unset (POST) in the transformation"))
	}
	if lim.MaxBytes > 0 && len(req.Body) > lim.MaxBytes {
		ps = append(ps, kit.Problem("body",
			fmt.Sprintf("the body is %d bytes; %s takes at most %d", len(req.Body), lim.Tool, lim.MaxBytes),
			"send only the fields the automation uses (the flat templates do)"))
	}
	return append(ps, shapeProblems(req, lim.Tool)...)
}

// shapeProblems checks that the body is one flat JSON object.
func shapeProblems(req *hookbridge.OutboundRequest, tool string) []hookbridge.Problem {
	if len(req.Body) == 0 {
		if req.Method == http.MethodGet {
			return nil
		}
		return []hookbridge.Problem{kit.Problem("body", "the body is empty: "+tool+" would run with no fields",
			"return webhook with webhook.payload set to an object, as the templates do")}
	}
	obj, err := req.Object()
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body",
			"the body is not a JSON object: "+tool+" would not split it into fields",
			"set webhook.payload to an object of fields ({\"event_type\": …, \"amount\": …})")}
	}
	var ps []hookbridge.Problem
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		switch obj[name].(type) {
		case map[string]any, []any:
			ps = append(ps, kit.Warning(name,
				name+" is nested: "+tool+"'s field picker shows it as one blob or as numbered sub-fields",
				"flatten it into top-level fields ("+name+"_id, "+name+"_name …), as the templates do"))
		}
	}
	if _, ok := obj["event_type"].(string); !ok {
		ps = append(ps, kit.Warning("event_type", "the event has no event_type: a filter or router in "+tool+" cannot tell events apart",
			"add event_type: webhook.eventType to the payload"))
	}
	return ps
}

package delivery_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// A request the destination accepts but acts on differently than meant is
// sent, and its attempt records the validator's warning: here Customer.io's
// rule that an event timestamped more than 72 hours before it arrives
// triggers no campaign (its Track API documentation), for a delivery that
// goes out late. On time, the attempt records no warning.
func TestAttemptsRecordTheValidatorsWarnings(t *testing.T) {
	for _, tune := range []struct {
		name string
		f    func(*hookbridge.Endpoint)
	}{{"alone", func(*hookbridge.Endpoint) {}}, {"batched", batching}} {
		t.Run(tune.name, func(t *testing.T) {
			r := newRig(t)
			e := r.customerioEndpoint(tune.f)
			onTime := r.post("")
			r.run()
			late := r.post("")
			r.clock.Advance(4 * 24 * time.Hour)
			r.run()

			if atts := r.attempts(r.deliveryOf(onTime, e)); len(atts) != 1 || len(atts[0].Warnings) != 0 {
				t.Fatalf("on time: attempts %+v, want one without warnings", atts)
			}
			d := r.deliveryOf(late, e)
			atts := r.attempts(d)
			if d.Status != hookbridge.DeliverySucceeded || len(atts) != 1 {
				t.Fatalf("late: %s with %d attempts, want sent and succeeded", d.Status, len(atts))
			}
			w := atts[0].Warnings
			if len(w) != 1 || w[0].Field != "timestamp" || !w[0].Warning || !strings.Contains(w[0].Message, "72 hours") || w[0].Fix == "" {
				t.Fatalf("late: warnings %+v, want the 72-hour warning with its fix", w)
			}
		})
	}
}

package customerio

// Rules for requests Customer.io accepts but acts on or files differently
// than meant. Each is a warning: the request is sent, and the test step
// and the attempt say what to change.

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/filing"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// campaignTriggerWindow is how old an event may be and still trigger a
// campaign. Customer.io's Track API (v1 events, the same for v2): "Events
// timestamped within the past 72 hours can trigger campaigns"; older ones
// are stored and trigger nothing.
const campaignTriggerWindow = 72 * time.Hour

// sendTimeFix tells how to stamp an event with the send time instead.
const sendTimeFix = "to trigger campaigns however late the delivery, leave timestamp out so that Customer.io stamps the event with the time it receives it: " +
	"in the built-in templates set USE_SEND_TIME = true, or add the line `delete webhook.payload.timestamp;` before `return webhook;`"

// checkEventAge warns when an event's timestamp (integer unix seconds)
// is more than campaignTriggerWindow before now, the send time.
func checkEventAge(v any, f string, now time.Time) []hookbridge.Problem {
	n, ok := v.(json.Number)
	if !ok || now.IsZero() {
		return nil
	}
	secs, err := n.Int64()
	if err != nil || secs >= millisecondsCutoff {
		return nil // reported by checkTimestamp
	}
	at := time.Unix(secs, 0).UTC()
	age := now.Sub(at)
	if age <= campaignTriggerWindow {
		return nil
	}
	return []hookbridge.Problem{kit.Warning(f,
		fmt.Sprintf("the event is timestamped %s, %s before it is sent: Customer.io stores an event older than 72 hours but triggers no campaign from it. "+
			"Live events go out seconds after they happen; this concerns late deliveries (a replay, a resend, a recovery, long retries) and tests with an old sample event",
			at.Format(time.RFC3339), describeAge(age)),
		sendTimeFix)}
}

// describeAge writes a duration in days and hours, as people read ages.
func describeAge(d time.Duration) string {
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if days == 0 {
		return fmt.Sprintf("%d hours", hours)
	}
	return fmt.Sprintf("%d days %d hours", days, hours)
}

// missingIdentifyTimestamp warns about an identify that Customer.io can
// only apply in the order it receives it.
func missingIdentifyTimestamp(f string) hookbridge.Problem {
	return kit.Warning(f,
		"the identify has no timestamp: Customer.io applies it in the order it arrives, and retries and batches reorder deliveries, so an older event can overwrite the attributes of a newer one",
		"add timestamp: hb.toUnixSeconds(webhook.payload.timestamp) (the event's time, in unix seconds)")
}

// checkProfileFiling warns about a person attribute that Customer.io
// stores as text where segments compare dates or numbers. Customer.io's
// Timestamp Conditions FAQ: timestamp rules match only unix seconds, "if
// you're using a different timestamp format like ISO 8601, your users will
// not match"; numeric conditions compare numbers.
func checkProfileFiling(name string, v any, f string) []hookbridge.Problem {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if filing.IsDateName(name) && filing.IsISODate(s) {
		fix := fmt.Sprintf("send unix seconds: %s: hb.toUnixSeconds(%s)", name, "webhook.payload.timestamp")
		if strings.HasSuffix(strings.ToLower(name), "since") {
			fix += "; and set a start date once (on subscription.active, say), not on every payment, which overwrites it each time"
		}
		return []hookbridge.Problem{kit.Warning(f,
			fmt.Sprintf("%s holds the ISO 8601 text %q: Customer.io stores it as text, and timestamp conditions in segments and campaigns match only unix seconds", name, s),
			fix)}
	}
	return checkNumericString(name, s, f)
}

// checkNumericString warns about a number sent as text: Customer.io's
// segment conditions "greater than" and "less than" compare numbers, so a
// value sent as "32.65" matches none of them.
func checkNumericString(name, s, f string) []hookbridge.Problem {
	if !filing.IsNumericString(name, s) {
		return nil
	}
	return []hookbridge.Problem{kit.Warning(f,
		fmt.Sprintf("%s is the number %s sent as text: Customer.io stores it as a string, and segment conditions that compare numbers (greater than, less than) never match it", name, s),
		fmt.Sprintf("send a number: %s: Number(hb.formatAmount(minorUnits, currency)), not (minorUnits / 100).toFixed(2)", name))}
}

// checkEventDataFiling warns about numbers sent as text in an event's
// data, which campaign filters compare as numbers.
func checkEventDataFiling(data map[string]any, f string) []hookbridge.Problem {
	var ps []hookbridge.Problem
	for _, name := range slices.Sorted(maps.Keys(data)) {
		if s, ok := data[name].(string); ok {
			ps = append(ps, checkNumericString(name, s, f+"."+name)...)
		}
	}
	return ps
}

package delivery_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/netguard"
)

// TestADiscord429sRetryAfterInItsBodyIsHonoured: Discord gives the wait
// of a 429 as retry_after, seconds as a float, in a JSON body. The fake's
// 429 here has no Retry-After header, so only the integration's reading
// of the body can make the dispatcher wait the 3.5 s (the app's schedule
// would retry after 1 s, and a 429 pauses the endpoint for at least
// MinPause, 1 s).
func TestADiscord429sRetryAfterInItsBodyIsHonoured(t *testing.T) {
	r := newRig(t, workers(1))
	fake := discordtest.New(t)
	r.useDiscord(fake)
	r.schedule(0, time.Second, time.Second, time.Second)
	ep := r.endpoint(&hookbridge.Endpoint{Integration: "discord", Credentials: fake.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(t, "discord", "payments"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}})

	fake.RateLimitNextBodyOnly(1, 3500*time.Millisecond)
	m := r.post("")
	r.run()

	const want = 3500 * time.Millisecond
	d := r.deliveryOf(m, ep)
	if d.Status != hookbridge.DeliveryPending || d.NextAttemptAt.Sub(t0) != want {
		t.Fatalf("after a 429 with retry_after 3.5: %s, next attempt after %s; want pending for 3.5s", d.Status, d.NextAttemptAt.Sub(t0))
	}
	if got := r.getEndpoint(ep); got.PausedUntil == nil || got.PausedUntil.Sub(t0) != want {
		t.Fatalf("endpoint paused until %v, want 3.5s after the 429", got.PausedUntil)
	}

	r.clock.Set(t0.Add(want - 100*time.Millisecond))
	r.run()
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("Discord got %d requests before retry_after passed, want only the first", n)
	}
	r.clock.Set(t0.Add(want))
	r.run()
	if got := r.deliveryOf(m, ep); got.Status != hookbridge.DeliverySucceeded || len(fake.Messages()) != 1 {
		t.Errorf("after retry_after: %s with %d messages posted, want succeeded with one", got.Status, len(fake.Messages()))
	}
}

// useDiscord sends the rig's requests for discord.com to fake.
func (r *rig) useDiscord(fake *discordtest.Server) {
	r.t.Helper()
	overrides := map[string]*url.URL{"discord.com": mustURL(r.t, fake.URL)}
	for _, host := range []string{"api.segment.io", "events.eu1.segmentapis.com"} {
		overrides[host] = mustURL(r.t, r.seg.URL)
	}
	r.sender = &delivery.Sender{
		Client:  netguard.NewClient(netguard.Config{AllowPrivate: true, HostOverrides: overrides}),
		Timeout: 5 * time.Second,
	}
	r.d = delivery.New(r.store, r.planner, r.sender, noJitter, delivery.Config{Workers: 1, Clock: r.clock}, nil)
}

// schedule gives app acme its own retry schedule.
func (r *rig) schedule(waits ...time.Duration) {
	r.t.Helper()
	app, err := r.store.GetApp(r.t.Context(), "acme")
	if err != nil {
		r.t.Fatal(err)
	}
	app.RetrySchedule = nil
	for _, w := range waits {
		app.RetrySchedule = append(app.RetrySchedule, hookbridge.Duration(w))
	}
	if err := r.store.UpdateAppDelivery(r.t.Context(), app); err != nil {
		r.t.Fatal(err)
	}
}

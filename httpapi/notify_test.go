package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
)

// TestIngestNotifiesTheDispatcherUnlessTheStoreDoes: a stored message
// wakes the dispatcher, except where the store itself tells it of the
// deliveries it leaves to the claim (SQLite handing deliveries over).
func TestIngestNotifiesTheDispatcherUnlessTheStoreDoes(t *testing.T) {
	for _, storeNotifies := range []bool{false, true} {
		t.Run(fmt.Sprintf("store notifies %v", storeNotifies), func(t *testing.T) {
			secret, tok, err := httpapi.NewToken("", "test", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			notified := 0
			srv := httpapi.New(httpapi.Config{
				Store:               &instantStore{token: tok, app: &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default"}},
				Integrations:        hookbridge.NewIntegrations(builtin.All()...),
				EventTypes:          catalog.All(),
				Notify:              func() { notified++ },
				StoreNotifiesIngest: storeNotifies,
			})
			sample, _ := catalog.Lookup("payment.succeeded")
			postSample(t, srv, secret, sample.Sample, 1)

			want := 1
			if storeNotifies {
				want = 0
			}
			if notified != want {
				t.Errorf("notified %d times, want %d", notified, want)
			}
		})
	}
}

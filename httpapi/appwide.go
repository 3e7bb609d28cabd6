package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/signing"
)

// App-wide views and actions for the dashboard: deliveries of one
// customer, retrying every failed delivery a filter selects, the app's
// overview, a signed sample sent to a source, and a test event sent to a
// saved endpoint.

// Bounds of the app-wide calls: they read at most this many records, so
// that one call stays cheap on a large app; answers say when they stopped.
const (
	maxBulkRetry       = 1000
	maxCustomerScan    = maxLimit
	maxOverviewScan    = 10000
	slowestShown       = 5
	defaultOverviewWin = time.Hour
	maxOverviewWin     = 24 * time.Hour
)

// deliverySelection is what the app-wide deliveries log filters on: the
// fields of hookbridge.DeliveryFilter and a customer (an id, an email or
// any text of the event's payload).
type deliverySelection struct {
	hookbridge.DeliveryFilter
	Customer string
}

// listSelected returns a page of the deliveries sel selects, newest first.
// Without a customer it is one store query; with one, it reads the
// customer's latest messages (at most maxCustomerScan) and their
// deliveries.
func (s *Server) listSelected(ctx context.Context, appID string, sel deliverySelection) ([]*hookbridge.Delivery, error) {
	if sel.Customer == "" {
		return s.store.ListDeliveries(ctx, appID, sel.DeliveryFilter)
	}
	msgs, err := s.store.ListMessages(ctx, appID, hookbridge.MessageFilter{
		Search: sel.Customer, EventType: sel.EventType, Since: sel.Since, Until: sel.Until, Limit: maxCustomerScan,
	})
	if err != nil {
		return nil, err
	}
	var out []*hookbridge.Delivery
	for _, m := range msgs {
		if sel.MessageID != "" && m.ID != sel.MessageID {
			continue
		}
		f := sel.DeliveryFilter
		f.MessageID, f.Before, f.Limit = m.ID, "", maxLimit
		dels, err := s.store.ListDeliveries(ctx, appID, f)
		if err != nil {
			return nil, err
		}
		for _, d := range dels {
			if sel.Before == "" || d.ID < sel.Before {
				out = append(out, d)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if sel.Limit > 0 && len(out) > sel.Limit {
		out = out[:sel.Limit]
	}
	return out, nil
}

// bulkRetryInput is the body of POST …/deliveries/retry-failed: the
// filters of the deliveries log. The status is always failed.
type bulkRetryInput struct {
	EndpointID string     `json:"endpoint_id"`
	EventType  string     `json:"event_type"`
	Customer   string     `json:"customer"`
	Since      *time.Time `json:"since"`
	Until      *time.Time `json:"until"`
}

// retryFailedDeliveries makes every failed delivery the filters select
// pending again, due now, up to maxBulkRetry of them (newest first).
func (s *Server) retryFailedDeliveries(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in bulkRetryInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	sel := deliverySelection{Customer: strings.TrimSpace(in.Customer), DeliveryFilter: hookbridge.DeliveryFilter{
		EndpointID: in.EndpointID, EventType: in.EventType, Status: hookbridge.DeliveryFailed, Limit: maxLimit,
	}}
	if in.Since != nil {
		sel.Since = *in.Since
	}
	if in.Until != nil {
		sel.Until = *in.Until
	}
	if !sel.Since.IsZero() && !sel.Until.IsZero() && !sel.Since.Before(sel.Until) {
		return fieldError("since", "must be before until (RFC 3339 times)")
	}
	ids, truncated, err := s.failedIDs(r.Context(), app.ID, sel)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	for _, id := range ids {
		if _, err := s.store.RetryDelivery(r.Context(), app.ID, id, now); err != nil {
			return err
		}
	}
	if len(ids) > 0 {
		s.notify()
	}
	return writeJSON(w, http.StatusAccepted, map[string]any{"queued": len(ids), "truncated": truncated})
}

// failedIDs collects the ids of the failed deliveries sel selects, page
// by page, at most maxBulkRetry; truncated says there were more.
func (s *Server) failedIDs(ctx context.Context, appID string, sel deliverySelection) (ids []string, truncated bool, err error) {
	if sel.Customer != "" {
		// One read: the customer's latest events and their deliveries.
		sel.Limit = maxBulkRetry + 1
		dels, err := s.listSelected(ctx, appID, sel)
		if err != nil {
			return nil, false, err
		}
		for _, d := range dels[:min(len(dels), maxBulkRetry)] {
			ids = append(ids, d.ID)
		}
		return ids, len(dels) > maxBulkRetry, nil
	}
	for {
		dels, err := s.listSelected(ctx, appID, sel)
		if err != nil {
			return nil, false, err
		}
		for _, d := range dels {
			if len(ids) == maxBulkRetry {
				return ids, true, nil
			}
			ids = append(ids, d.ID)
		}
		if len(dels) < sel.Limit {
			return ids, false, nil
		}
		sel.Before = dels[len(dels)-1].ID
	}
}

// overviewView is GET …/overview: how the app's deliveries fare.
type overviewView struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// PerMinute counts the deliveries created in each minute of the
	// window, oldest first, by their status now.
	PerMinute          []minuteCount                     `json:"per_minute"`
	DeliveriesByStatus map[hookbridge.DeliveryStatus]int `json:"deliveries_by_status"`
	// Failures are the window's failed deliveries; failed attempts of
	// deliveries still retrying count as retrying.
	Failures int `json:"failures"`
	Retrying int `json:"retrying"`
	// Truncated says the window held more than maxOverviewScan
	// deliveries: the counts are of the newest of them.
	Truncated bool           `json:"truncated"`
	Slowest   []slowEndpoint `json:"slowest_endpoints"`
	Lag       lagView        `json:"lag"`
}

type minuteCount struct {
	Minute    time.Time `json:"minute"`
	Succeeded int       `json:"succeeded"`
	Failed    int       `json:"failed"`
	Other     int       `json:"other"`
}

type slowEndpoint struct {
	EndpointID string  `json:"endpoint_id"`
	Name       string  `json:"name"`
	Attempts   int     `json:"attempts"`
	P50MS      float64 `json:"p50_ms"`
	P95MS      float64 `json:"p95_ms"`
}

// lagView says how far behind deliveries are: pending ones that are due,
// and how long the oldest of them has waited past its due time.
type lagView struct {
	Pending    int     `json:"pending"`
	Due        int     `json:"due"`
	OldestDue  *string `json:"oldest_due_at,omitempty"`
	LagSeconds float64 `json:"lag_seconds"`
}

// appOverview summarises the app's deliveries over ?window (default 1h,
// at most 24h).
func (s *Server) appOverview(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	window := defaultOverviewWin
	if v := r.URL.Query().Get("window"); v != "" {
		d, err := hookbridge.ParseDuration(v)
		if err != nil || d < time.Minute || d > maxOverviewWin {
			return fieldError("window", "must be a duration from 1m to 24h, such as 15m or 1h")
		}
		window = d
	}
	until := s.now().UTC()
	since := until.Add(-window)
	view := &overviewView{Since: since, Until: until, DeliveriesByStatus: map[hookbridge.DeliveryStatus]int{}}
	err := s.countWindow(r.Context(), app.ID, view)
	if err != nil {
		return err
	}
	if view.Slowest, err = s.slowestEndpoints(r.Context(), app.ID, since, until); err != nil {
		return err
	}
	if view.Lag, err = s.deliveryLag(r.Context(), app.ID, until); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// countWindow fills the per-minute and per-status counts of the window.
func (s *Server) countWindow(ctx context.Context, appID string, view *overviewView) error {
	start := view.Since.Truncate(time.Minute)
	minutes := int(view.Until.Sub(start)/time.Minute) + 1
	view.PerMinute = make([]minuteCount, minutes)
	for i := range view.PerMinute {
		view.PerMinute[i].Minute = start.Add(time.Duration(i) * time.Minute)
	}
	err := s.scanDeliveries(ctx, appID, hookbridge.DeliveryFilter{Since: view.Since, Until: view.Until}, func(d *hookbridge.Delivery) {
		view.DeliveriesByStatus[d.Status]++
		i := int(d.CreatedAt.Sub(start) / time.Minute)
		if i < 0 || i >= minutes {
			return
		}
		switch {
		case d.Status == hookbridge.DeliverySucceeded:
			view.PerMinute[i].Succeeded++
		case d.Status == hookbridge.DeliveryFailed:
			view.PerMinute[i].Failed++
		default:
			view.PerMinute[i].Other++
		}
		if d.Status == hookbridge.DeliveryPending && d.Attempts > 0 {
			view.Retrying++
		}
	}, &view.Truncated)
	view.Failures = view.DeliveriesByStatus[hookbridge.DeliveryFailed]
	return err
}

// scanDeliveries calls fn for each delivery f selects, newest first, at
// most maxOverviewScan; truncated is set when there were more.
func (s *Server) scanDeliveries(ctx context.Context, appID string, f hookbridge.DeliveryFilter, fn func(*hookbridge.Delivery), truncated *bool) error {
	f.Limit = maxLimit
	for seen := 0; ; {
		dels, err := s.store.ListDeliveries(ctx, appID, f)
		if err != nil {
			return err
		}
		for _, d := range dels {
			if seen == maxOverviewScan {
				*truncated = true
				return nil
			}
			seen++
			fn(d)
		}
		if len(dels) < f.Limit {
			return nil
		}
		f.Before = dels[len(dels)-1].ID
	}
}

// slowestEndpoints ranks the app's endpoints by the p95 of their
// attempts' durations in the window, slowest first.
func (s *Server) slowestEndpoints(ctx context.Context, appID string, since, until time.Time) ([]slowEndpoint, error) {
	eps, err := s.store.ListEndpoints(ctx, appID)
	if err != nil {
		return nil, err
	}
	out := []slowEndpoint{}
	for _, ep := range eps {
		st, err := s.store.EndpointStats(ctx, appID, ep.ID, since, until)
		if err != nil {
			return nil, err
		}
		if st.Attempts == 0 {
			continue
		}
		out = append(out, slowEndpoint{EndpointID: ep.ID, Name: ep.Name, Attempts: st.Attempts,
			P50MS: millis(st.Percentile(50)), P95MS: millis(st.Percentile(95))})
	}
	slices.SortFunc(out, func(a, b slowEndpoint) int {
		switch {
		case a.P95MS > b.P95MS:
			return -1
		case a.P95MS < b.P95MS:
			return 1
		}
		return strings.Compare(a.EndpointID, b.EndpointID)
	})
	if len(out) > slowestShown {
		out = out[:slowestShown]
	}
	return out, nil
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// deliveryLag counts the pending deliveries and how long the oldest due
// one has waited.
func (s *Server) deliveryLag(ctx context.Context, appID string, now time.Time) (lagView, error) {
	var lag lagView
	var oldest time.Time
	var truncated bool
	err := s.scanDeliveries(ctx, appID, hookbridge.DeliveryFilter{Status: hookbridge.DeliveryPending}, func(d *hookbridge.Delivery) {
		lag.Pending++
		if d.NextAttemptAt.After(now) {
			return
		}
		lag.Due++
		if oldest.IsZero() || d.NextAttemptAt.Before(oldest) {
			oldest = d.NextAttemptAt
		}
	}, &truncated)
	if !oldest.IsZero() {
		at := oldest.UTC().Format(time.RFC3339)
		lag.OldestDue = &at
		lag.LagSeconds = now.Sub(oldest).Seconds()
	}
	return lag, err
}

// sendSampleInput is the body of POST …/sources/{id}/send-sample.
type sendSampleInput struct {
	EventType string `json:"event_type"`
}

// sendSourceSample signs the catalogue's sample of an event type with the
// source's current secret and hands it to the source's ingest address in
// process, as the payments platform would send it: the signature is
// verified against the source's secrets and the event stored as one from
// outside (its source_id set).
func (s *Server) sendSourceSample(w http.ResponseWriter, r *http.Request, src *hookbridge.Source) error {
	var in sendSampleInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	et, ok := catalog.Lookup(in.EventType)
	if !ok {
		return fieldError("event_type", "is not a known event type (GET /api/v1/event-types lists them)")
	}
	now := s.now()
	secrets := src.ActiveSecrets(now)
	if len(secrets) == 0 {
		return errorf(http.StatusConflict, "no_secret", "the source has no active signing secret: rotate it to make one")
	}
	id := hookbridge.NewID("msg")
	sig, err := signing.Sign(secrets[len(secrets)-1], id, now, et.Sample)
	if err != nil {
		return err
	}
	header := http.Header{}
	header.Set(signing.HeaderID, id)
	header.Set(signing.HeaderTimestamp, signing.FormatTimestamp(now))
	header.Set(signing.HeaderSignature, sig)
	if err := signing.Verify(secrets, header, et.Sample, now, 0); err != nil {
		return signatureError(err)
	}
	msg, _, err := s.ingest(r.Context(), src.AppID, src.ID, et.Name, id, et.Sample)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"id": msg.ID, "event_type": msg.EventType, "webhook_id": id})
}

// endpointTestInput is the body of POST …/endpoints/{id}/send-test.
type endpointTestInput struct {
	EventType string `json:"event_type"`
}

// sendEndpointTest sends the catalogue's sample of an event type to a
// saved endpoint, with its stored credentials and transformation, and
// answers what was sent and what came back. No message or delivery is
// stored: it is a check of the endpoint, not an event of the app.
func (s *Server) sendEndpointTest(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	var in endpointTestInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	et, ok := s.eventByName[in.EventType]
	if !ok {
		return fieldError("event_type", "unknown event type %q; GET /api/v1/event-types lists them", in.EventType)
	}
	now := s.now()
	plan, err := s.planner.Plan(r.Context(), ep, delivery.Input{
		MessageID: hookbridge.NewID("msg"), EventType: et.Name, Payload: et.Sample, CreatedAt: now,
	}, now)
	res := &testResult{Problems: []hookbridge.Problem{}, Console: []string{}}
	var codeErr *hookbridge.CodeError
	switch {
	case errors.As(err, &codeErr):
		shown := *codeErr
		shown.Message = hookbridge.CapText(shown.Message, hookbridge.MaxRecordedError)
		res.Status, res.Error = "error", &shown
		return writeJSON(w, http.StatusOK, res)
	case err != nil:
		return notAdmitted(w, err)
	}
	s.describePlan(res, plan)
	if plan.Request != nil && res.Status == "ready" {
		res.Response = s.sendForTest(r, ep, plan)
	}
	return writeJSON(w, http.StatusOK, res)
}

// checkAppName checks a new app name given to PATCH /api/v1/apps/{app}.
func checkAppName(name *string) error {
	if name == nil {
		return nil
	}
	n := strings.TrimSpace(*name)
	switch {
	case n == "":
		return fieldError("name", "must not be empty")
	case len(n) > 200:
		return fieldError("name", "must be at most 200 characters")
	}
	return nil
}

// renameApp stores an app's new name, if one is given.
func (s *Server) renameApp(ctx context.Context, app *hookbridge.App, name *string) error {
	if name == nil {
		return nil
	}
	n := strings.TrimSpace(*name)
	err := s.store.RenameApp(ctx, app.ID, n)
	// Dropped even on an error: the change may have been stored.
	s.appChanged(app.ID)
	if err != nil {
		return err
	}
	app.Name = n
	return nil
}

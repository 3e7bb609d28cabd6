package delivery

import (
	"context"
	"fmt"

	"github.com/hookbridge/hookbridge"
)

// batchItem is one planned delivery on its way into a batch.
type batchItem struct {
	claim *hookbridge.Claim
	plan  *Plan
	// body is the delivery's item in the batch (Batcher.BatchItem).
	body []byte
}

// deliverBatch sends the due deliveries of one batching endpoint in as few
// requests as the integration's limits allow. Each delivery is planned on
// its own (its transformation, its idempotency key, its validation); those
// that cannot go in a batch (another URL, an item over the size limit) are
// sent on their own. Every delivery records its own attempt.
func (d *Dispatcher) deliverBatch(ctx context.Context, u unit) {
	ep := u[0].Endpoint
	batcher, _ := d.batcher(ep)
	limits := batcher.BatchLimits()
	var items []batchItem
	for _, c := range u {
		log := d.logFor(c)
		plan, settled := d.prepare(ctx, log, c)
		if settled {
			continue
		}
		body, ok := batcher.BatchItem(plan.Request)
		if !ok || len(body) > limits.MaxItemBytes {
			d.sendPlanned(ctx, log, c, plan)
			continue
		}
		items = append(items, batchItem{claim: c, plan: plan, body: body})
	}
	for _, group := range pack(items, limits, d.cfg.MaxBatch) {
		if len(group) == 1 {
			d.sendPlanned(ctx, d.logFor(group[0].claim), group[0].claim, group[0].plan)
			continue
		}
		d.sendBatch(ctx, batcher, ep, group)
	}
}

// batchOverhead is what a batch's body holds besides its items and the
// commas between them ({"batch":[…]}), with room to spare.
const batchOverhead = 64

// pack splits items, in order, into batches within the limits: at most
// maxItems (and limits.MaxItems) items and limits.MaxBytes bytes each.
func pack(items []batchItem, limits hookbridge.BatchLimits, maxItems int) [][]batchItem {
	if limits.MaxItems > 0 {
		maxItems = min(maxItems, limits.MaxItems)
	}
	var (
		batches [][]batchItem
		current []batchItem
		size    = batchOverhead
	)
	for _, it := range items {
		grown := size + len(it.body) + 1
		if len(current) > 0 && (len(current) == maxItems || (limits.MaxBytes > 0 && grown > limits.MaxBytes)) {
			batches = append(batches, current)
			current, grown = nil, batchOverhead+len(it.body)+1
		}
		current = append(current, it)
		size = grown
	}
	if len(current) > 0 {
		batches = append(batches, current)
	}
	return batches
}

// sendBatch sends one batch once the endpoint's rate limit allows (a batch
// is one request), and records for each delivery an attempt holding the
// batch's method, URL and headers, its own item as the body, the shared
// answer, and its own outcome: the batch's, unless the destination
// refused this item by name (Customer.io's 207 batch_index, Mixpanel's
// failed_records, Amplitude's events_with_invalid_fields). A named item
// fails for good even when the batch is to be sent again (Amplitude
// refuses a whole batch for one bad event): resending it would fail the
// same way, and would hold back the others each time.
func (d *Dispatcher) sendBatch(ctx context.Context, b hookbridge.Batcher, ep *hookbridge.Endpoint, group []batchItem) {
	claims := make([]*hookbridge.Claim, len(group))
	bodies := make([][]byte, len(group))
	for i, it := range group {
		claims[i], bodies[i] = it.claim, it.body
	}
	log := d.log.With("endpoint_id", ep.ID, "batch_size", len(group))
	req, err := b.BatchRequest(group[0].plan.Request, bodies)
	if err != nil {
		log.Warn("cannot build a batch; sending one by one", "err", err)
		for _, it := range group {
			d.sendPlanned(ctx, d.logFor(it.claim), it.claim, it.plan)
		}
		return
	}
	turn, deferTo, err := d.takeTurn(ctx, ep)
	if err == nil && deferTo.IsZero() {
		err = d.waitForTurn(ctx, ep, turn)
	}
	if err != nil || !deferTo.IsZero() {
		d.holdBack(ctx, log, claims, deferTo, err)
		return
	}
	started := d.clock.Now()
	masker := group[0].plan.Masker()
	resp := d.sender.SendWithin(ctx, req, d.timeoutFor(ep)).Masked(masker)
	d.observe.AttemptSent(ep.Integration, resp.Duration, resp.Status)
	itemErrors := b.SplitBatchResponse(resp.Status, []byte(resp.Body), len(group))
	shown := req.RecordWith(masker)
	for i, it := range group {
		a := d.newAttempt(it.claim, shown, started)
		item := hookbridge.OutboundRequest{Body: it.body}
		a.Request.Body = item.RecordWith(it.plan.Masker()).Body
		a.Batch = &hookbridge.AttemptBatch{Size: len(group), Index: i}
		a.Warnings = it.plan.Warnings()
		o, why := d.decideIn(it.claim, req, len(group), resp, ctx.Err() != nil)
		recordResponse(a, resp, why)
		if i < len(itemErrors) && itemErrors[i] != "" && o.Status != hookbridge.DeliveryFailed {
			why := fmt.Sprintf("the destination refused this item of the batch (batch index %d): %s", i, itemErrors[i])
			a.Error = why
			// The destination is up and answering: its health is fine.
			o = d.final(it.claim, why, o.Endpoint)
		}
		d.complete(ctx, d.logFor(it.claim), it.claim, a, o)
	}
}

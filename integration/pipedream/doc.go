// Package pipedream is the Pipedream integration: events go to the
// endpoint of a workflow's HTTP / Webhook trigger, a secret credential on
// *.m.pipedream.net, as one flat JSON object per event (the shared shape
// of package flatevent) that steps read as steps.trigger.event.body.<field>.
// Each event carries delivery_id, the same on every retry.
//
// Its documentation page is docs/integrations/pipedream.md; its fake is
// package pipedreamtest.
package pipedream

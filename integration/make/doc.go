// Package make is the Make (formerly Integromat) integration: events go to
// the URL of a scenario's "Webhooks → Custom webhook" trigger, a secret
// credential on hook.<region>.make.com, as one flat JSON object per event
// (the shared shape of package flatevent) from which Make determines the
// data structure its mapping panel shows. Each event carries delivery_id,
// the same on every retry.
//
// Its documentation page is docs/integrations/make.md; its fake is package
// maketest.
package make

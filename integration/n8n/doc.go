// Package n8n is the n8n integration: events go to the production URL of a
// workflow's Webhook node, a secret credential on any https host (n8n is
// usually self-hosted; n8n Cloud instances are <name>.app.n8n.cloud), as
// one flat JSON object per event (the shared shape of package flatevent)
// that the workflow reads as $json.body.<field>. Each event carries
// delivery_id, the same on every retry.
//
// Its documentation page is docs/integrations/n8n.md; its fake is package
// n8ntest.
package n8n

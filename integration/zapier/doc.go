// Package zapier is the Zapier integration: events go to the Catch Hook
// URL of a Zap's "Webhooks by Zapier" trigger, a secret credential whose
// host must be hooks.zapier.com, as one flat JSON object per event (the
// shared shape of package flatevent) that Zapier's field picker lists
// field by field. Each event carries delivery_id, the same on every retry.
//
// Its documentation page is docs/integrations/zapier.md; its fake is
// package zapiertest.
package zapier

// Package windmill is the Windmill integration: each event runs a script
// or flow through its asynchronous webhook,
// POST /api/w/<workspace>/jobs/run/{p|f|h|fv}/<path>, on app.windmill.dev
// or a self-hosted instance, with a token sent as Authorization: Bearer —
// only to that URL's host. The body is the run's arguments: one flat JSON
// object per event (the shared shape of package flatevent), each field an
// argument the script or flow may declare. Windmill answers at once with
// the job's id; the run goes on without holding the delivery.
//
// Its documentation page is docs/integrations/windmill.md; its fake is
// package windmilltest.
package windmill

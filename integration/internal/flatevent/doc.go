// Package flatevent is the one flat JSON shape that the catch-hook
// automation tools (Zapier, Make, n8n, Pipedream) receive: a template per
// event category whose every field sits at the top level, amounts as
// numbers, formatted strings and minor units, times as ISO 8601 and Unix
// seconds; the rules every such tool applies to it; and the stable
// delivery id added to each event for the tools' own de-duplication.
// Each tool's package declares its own Spec (URL hosts, limits, answers)
// and takes its templates and rules from here, so the shape is written
// once.
package flatevent

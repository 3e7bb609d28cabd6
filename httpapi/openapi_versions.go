package httpapi

import (
	"maps"
	"strconv"

	"github.com/hookbridge/hookbridge"
)

const versionsPath = "/api/v1/apps/{app}/endpoints/{id}/transformation"

// versionOperations documents the routes of transformation versions.
func versionOperations() []apiOperation {
	kept := strconv.Itoa(hookbridge.MaxTransformationVersions)
	return []apiOperation{
		{Method: "GET", Path: versionsPath + "/versions", Tag: "Transformations", Summary: "List the versions of an endpoint's transformation",
			Description: "Every save that changes the transformation's code, enabled flag or template (creating the endpoint, " +
				"`PATCH`, a restore) records a version numbered from 1, with who saved it (the token's name; " +
				"`(dashboard)` after it when signed in to the dashboard) and when. The newest " + kept + " are kept while the " +
				"endpoint lives. Each attempt names the version that produced its request (`transformation_version`).",
			Responses: with(errsOfReading, ok("The kept versions, newest first, without their code.", listOf("TransformationVersionSummary")))},
		{Method: "GET", Path: versionsPath + "/versions/{n}", Tag: "Transformations", Summary: "Get a version of an endpoint's transformation",
			Responses: with(errsOfReading, ok("The version with its code.", ref("TransformationVersion")), errInvalid)},
		{Method: "GET", Path: versionsPath + "/diff", Tag: "Transformations", Summary: "Compare two versions of an endpoint's transformation",
			Description: "A unified line diff (as `diff -u`) of the code of version `from` and version `to`, with three lines of context. " +
				"By default `to` is the live version and `from` the one before `to`; the diff of version 1 with the one before " +
				"starts from nothing (`from` is null).",
			Query: []apiParam{
				{Name: "from", Description: "A version number; default `to` − 1.", Schema: schema{"type": "integer", "minimum": 1}},
				{Name: "to", Description: "A version number; default the live version.", Schema: schema{"type": "integer", "minimum": 1}},
			},
			Responses: with(errsOfReading, ok("The diff.", ref("TransformationDiff")), errInvalid)},
		{Method: "POST", Path: versionsPath + "/versions/{n}/restore", Tag: "Transformations", Summary: "Restore a version of an endpoint's transformation",
			Description: "Saves version `n`'s code, enabled flag and template as the endpoint's transformation: a new version, " +
				"`restored_from` n, even when it equals the live one. The code is checked as a save checks it. " + saveCheckDoc,
			Body: ref("RestoreInput"), BodyOptional: true,
			Responses: with(errsOfSavingEndpoint, ok("The endpoint, with its new transformation version.", ref("EndpointSaved")))},
	}
}

// versionSchemas are the bodies of those routes.
func versionSchemas() schema {
	summary := schema{
		"number":        integer("From 1, per endpoint, in the order they were saved."),
		"enabled":       boolean(""),
		"template":      str("The template the code came from, if any."),
		"saved_by":      str("The name of the token that saved it, `(dashboard)` after it for a dashboard session; empty when not known (saved before versions were kept)."),
		"restored_from": integer("The version it restored, if it was a restore."),
		"created_at":    dateTime("When it was saved."),
		"live":          boolean("Whether the endpoint runs this version."),
	}
	full := maps.Clone(summary)
	full["endpoint_id"] = str("")
	full["code"] = str("`function handler(webhook) { …; return webhook }`")
	summary["lines"] = integer("How many lines its code has.")
	return schema{
		"TransformationVersionSummary": object("A saved version of an endpoint's transformation, without its code.", summary,
			"number", "enabled", "saved_by", "created_at", "lines", "live"),
		"TransformationVersion": object("A saved version of an endpoint's transformation.", full,
			"endpoint_id", "number", "code", "enabled", "saved_by", "created_at", "live"),
		"TransformationDiff": object("Two versions compared.", schema{
			"from":    orNull(ref("TransformationVersionSummary")),
			"to":      ref("TransformationVersionSummary"),
			"diff":    str("The unified line diff of their code (`--- version m`, `+++ version n`, hunks with `@@ -a,b +c,d @@`); empty when the code is the same."),
			"added":   integer("Lines added."),
			"removed": integer("Lines removed."),
		}, "from", "to", "diff", "added", "removed"),
		"RestoreInput": object("", schema{
			"force": boolean("Restore even if the transformation would not deliver the sample of a subscribed event type; the answer lists the problems as `warnings`."),
		}),
	}
}

// withVersionSchemas adds versionSchemas to schemas.
func withVersionSchemas(schemas schema) schema {
	maps.Copy(schemas, versionSchemas())
	return schemas
}

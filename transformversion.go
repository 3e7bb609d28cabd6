package hookbridge

import (
	"context"
	"time"
)

// MaxTransformationVersions is how many versions of an endpoint's
// transformation are kept: saving one more forgets the oldest.
const MaxTransformationVersions = 200

// TransformationVersion is one saved state of an endpoint's
// transformation. Versions are numbered per endpoint from 1, in the order
// they were saved, and never change.
type TransformationVersion struct {
	EndpointID string `json:"endpoint_id"`
	Number     int    `json:"number"`
	Code       string `json:"code"`
	Enabled    bool   `json:"enabled"`
	// Template is the template the code came from, "" if none.
	Template string `json:"template,omitempty"`
	// SavedBy names who saved it (see VersionNote.By); "" when not known.
	SavedBy string `json:"saved_by"`
	// RestoredFrom is the version this one restored, 0 if it was not a
	// restore.
	RestoredFrom int       `json:"restored_from,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Transformation returns the transformation this version holds.
func (v *TransformationVersion) Transformation() Transformation {
	return Transformation{Code: v.Code, Enabled: v.Enabled, Template: v.Template, Version: v.Number}
}

// VersionNote says who saves an endpoint and why, for the transformation
// version the save records.
type VersionNote struct {
	// By names who saves it: an API token's name, or the dashboard
	// session's token's name with " (dashboard)" after it.
	By string
	// RestoredFrom, when positive, makes the save record a new version
	// even if the transformation is unchanged: it restores that version.
	RestoredFrom int
}

// TransformationStore keeps the versions of endpoints' transformations.
// CreateEndpoint records version 1 of the new endpoint's transformation;
// UpdateEndpoint, in the same transaction as the update, records a new
// version when the transformation's code, enabled flag or template
// changes (or the save is a restore, VersionNote.RestoredFrom), and
// forgets versions older than the newest MaxTransformationVersions. The
// versions of an endpoint are deleted with it.
type TransformationStore interface {
	// ListTransformationVersions returns the kept versions of an
	// endpoint's transformation, newest first; ErrNotFound if the app has
	// no such endpoint.
	ListTransformationVersions(ctx context.Context, appID, endpointID string) ([]*TransformationVersion, error)
	// GetTransformationVersion returns one version; ErrNotFound if the app
	// has no such endpoint or the endpoint no such version (any more).
	GetTransformationVersion(ctx context.Context, appID, endpointID string, number int) (*TransformationVersion, error)
}

package metrics

import (
	"context"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Transformer measures every run of the transformer it wraps.
type Transformer struct {
	hookbridge.Transformer
	Metrics *Metrics
}

var _ hookbridge.Transformer = (*Transformer)(nil)

// Transform runs the wrapped transformer and records its run time and, if
// it failed, the kind of failure.
func (t *Transformer) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	start := time.Now()
	out, err := t.Transformer.Transform(ctx, key, code, in)
	t.Metrics.TransformRan(time.Since(start), err)
	return out, err
}

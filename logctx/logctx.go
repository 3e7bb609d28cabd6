package logctx

import (
	"context"
	"log/slog"
)

type attrsKey struct{}

// With returns a context that carries attrs (key-value pairs or slog.Attr
// values, as slog.Logger.With takes them) besides those ctx already
// carries.
func With(ctx context.Context, args ...any) context.Context {
	if len(args) == 0 {
		return ctx
	}
	record := slog.Record{}
	record.Add(args...)
	attrs := append([]slog.Attr(nil), Attrs(ctx)...)
	record.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	return context.WithValue(ctx, attrsKey{}, attrs)
}

// Attrs returns the attributes ctx carries, oldest first. The slice must
// not be changed.
func Attrs(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	attrs, _ := ctx.Value(attrsKey{}).([]slog.Attr)
	return attrs
}

// Value returns the value of the attribute key that ctx carries (the
// latest, if given twice), and whether there is one.
func Value(ctx context.Context, key string) (slog.Value, bool) {
	attrs := Attrs(ctx)
	for i := len(attrs) - 1; i >= 0; i-- {
		if attrs[i].Key == key {
			return attrs[i].Value, true
		}
	}
	return slog.Value{}, false
}

// Handler wraps h so that every record gets the attributes of the context
// it was logged with.
func Handler(h slog.Handler) slog.Handler {
	if _, ok := h.(handler); ok {
		return h
	}
	return handler{inner: h}
}

type handler struct {
	inner slog.Handler
}

func (h handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if attrs := Attrs(ctx); len(attrs) > 0 {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return h.inner.Handle(ctx, r)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{inner: h.inner.WithAttrs(attrs)}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{inner: h.inner.WithGroup(name)}
}

// Package logctx carries log attributes in a context.Context, so that every
// line logged while handling one request (or one delivery) names it: a
// request id set by the HTTP server, a message and endpoint id set by the
// dispatcher, whatever package logs the line.
//
// With adds attributes to a context; Handler wraps any slog.Handler so that
// records logged with the *Context methods (InfoContext, ErrorContext, …)
// carry the context's attributes. It must not hold any logger itself or
// decide what is logged: it only moves attributes from contexts to records.
package logctx

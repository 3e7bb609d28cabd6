// Package js runs transformation code: it implements hookbridge.Transformer
// on goja, a JavaScript engine in pure Go. A transformation is
// `function handler(webhook) { …; return webhook }`; the package compiles it,
// runs it on one event at a time within limits, and checks what it returns.
// It must not give user code any way out: no network, no file system, no
// timers, no modules, and nothing one call (or one endpoint's code) does
// may be seen by another endpoint's; and no panic in a run, whatever the
// code does, may leave the sandbox.
//
// # The webhook object
//
// The handler receives a fresh object per call:
//
//	eventType  string   the event type, e.g. "payment.succeeded"
//	payload    any      the event, decoded from JSON (keys in document order)
//	url        string   where the request goes (the endpoint's URL)
//	method     string   "POST" unless the endpoint says otherwise
//	headers    object   empty; what the handler sets is merged over the endpoint's
//	cancel     boolean  false; true skips this delivery
//
// It returns that object, or a new one with the same fields (an async
// handler's promise is awaited). The result must be an object; url an
// absolute http or https URL (a url left as it came is not checked); method
// POST, PUT or PATCH in any case (returned upper case; missing means POST);
// headers an object of at most MaxHeaders (100) strings with valid names,
// each set once, without line breaks, of at most MaxHeaderBytes (16 KiB)
// with their names (past either limit, kind "limit"); cancel a boolean;
// payload a JSON value. Anything else is a CodeError of kind "result" that
// says which field is wrong.
//
// TransformOutput.Payload is exactly what a browser's
// JSON.stringify(webhook.payload) gives: keys in property order, toJSON
// honoured, undefined and functions dropped, NaN and Infinity as null,
// Dates as ISO strings, lone surrogates escaped. Changed is false only when
// the handler returned the very payload object it was given, JSON-equal to
// the input, with the same url and method, no headers and no cancel.
//
// The payload is parsed once, in Go, and read lazily: a field becomes a
// JavaScript value when the handler first reads it, fields never read cost
// nothing more, and an object the handler did not change is written back
// by copying its input bytes. The objects behave as JSON.parse's would,
// except that they (and the webhook object) cannot be frozen, sealed or
// made non-extensible, nor given accessor, non-enumerable, read-only or
// symbol-keyed properties. Code that mentions any way to ask for that
// (freeze, seal, preventExtensions, defineProperty, __defineGetter__,
// Symbol, Reflect, eval, Function, or a # private name) gets ordinary
// objects instead, at some cost in speed. See json_lazy.go.
//
// # Helpers
//
// A global hb object offers deterministic helpers for payment events:
//
//	hb.formatAmount(minorUnits, currency)
//	    An amount in minor units as a decimal string, by the currency's
//	    ISO 4217 exponent: (2999, "USD") → "29.99", (400, "JPY") → "400",
//	    (1234, "KWD") → "1.234", (5, "CLF") → "0.0005". An unknown or
//	    missing currency gets 2 decimals. minorUnits is an integer or a
//	    string of digits (some events carry amounts as strings); anything
//	    else throws a TypeError.
//	hb.toUnixSeconds(rfc3339)
//	    An RFC 3339 timestamp as whole seconds since 1970 (rounded down):
//	    "2025-08-04T05:30:45.182629Z" → 1754285445. Anything else throws a
//	    TypeError.
//
// There is deliberately no id generator: nothing in hb draws on randomness
// or the clock, so a retried delivery gets the same request.
//
// # Clock and randomness
//
// JavaScript's own Date and Math.random are kept as they are: new Date()
// and Date.now() read the process's clock, and Math.random is goja's
// generator (not a cryptographic one). Handlers format times with Date,
// and removing the clock would break code that stamps a "sent at" time.
// A handler that uses them builds a different request at each retry, so
// anything a destination deduplicates on should come from the event (its
// id, its timestamps), as the spec handlers do. The clock cannot be used to
// wait: there are no timers, and a busy loop meets the time limit.
//
// console.log, info, debug, warn and error are captured into Console, one
// line per call, formatted as a browser's console shows them in text
// (strings as they are, numbers as JavaScript prints them, objects and
// arrays as JSON, %s %d %i %f %o %O %c substituted); warn and error lines
// start with "[warn] " and "[error] ". At most Options.MaxConsoleLines lines
// of at most 4 KiB are kept, then one "…output truncated" line.
//
// # Limits
//
//   - Time: Options.Timeout per call, counted from the moment the call has
//     a runtime (the user's top-level code included when a runtime is
//     built) until its result has been read: reading the result and
//     describing a thrown value run user code (getters, Proxy traps,
//     toJSON, valueOf), and a limit passed meanwhile fails the call as if
//     the handler had not returned. A timer interrupts the run (vm.Interrupt); the run is also
//     interrupted when ctx ends, and then Transform returns ctx's error
//     rather than a CodeError. An interrupted runtime is thrown away.
//     vm.Interrupt cannot stop a built-in that runs in Go (a huge sort, a
//     backtracking regular expression): if the run has not stopped 100 ms
//     after the interrupt, it is abandoned to finish on its own, and that
//     code is refused (kind "timeout") until it has. Code without a key
//     runs on a goroutine of its own, so its caller gets the timeout at
//     once. Code with a key (deliveries) runs on the caller's goroutine,
//     which spares a runner's cost: its caller is told at that moment
//     through hookbridge.WithOverrunNotice, gets the timeout when the
//     built-in ends, and from then on that code runs on a runner too (see
//     inplace.go). A regular expression's match is cut off after
//     MaxTimeout (10 s; see regexp.go), so a run abandoned in one ends by
//     then; Options.Timeout is at most MaxTimeout, so no handler sees a
//     match cut off.
//   - Recursion: Options.MaxStackDepth nested calls (kind "limit").
//   - Crashes: every read of a JavaScript value from Go runs guarded
//     (instance.guarded), and a run recovers whatever panic gets past the
//     guards. A panic that is neither the code's exception nor one of its
//     limits (a fault of goja the code provoked) fails the call with kind
//     "crash", and the runtime is thrown away. goja's errors are told
//     apart by type, never with errors.As or Error: a *goja.Exception's
//     Unwrap walks the thrown value's prototype chain, and its Error calls
//     the value's toString, both user code run outside any guard.
//   - Output: Options.MaxOutput bytes of payload JSON (kind "limit"); the
//     serializer stops as soon as it passes the limit. JSON.stringify in user
//     code has the same limit, and JSON.stringify and JSON.parse refuse
//     values nested deeper than 1000 levels with a RangeError (goja's own
//     stringify checks for cycles in quadratic time, which a deep value
//     turned into minutes of uninterruptible work).
//   - Code: Options.MaxCodeSize bytes, checked by Check and Transform.
//   - Memory: goja has no memory limit (goja issue #645), and Go cannot
//     say what one goroutine allocated. So while a call runs, the process's
//     heap is sampled every 5 ms, and the call is interrupted (kind
//     "limit", "memory limit exceeded") once the live heap (as of the
//     latest garbage collection) holds more than Options.MaxMemory (64 MiB)
//     beyond what it held when the call started. Garbage does not count: a
//     handler that allocates much and keeps little is not stopped. Calls shorter than
//     5 ms are never sampled; two long calls that overlap while one of them
//     allocates may both be stopped. See memory.go.
//   - Built-ins that loop or allocate in Go, where no interrupt reaches:
//     String.prototype.repeat, padStart, padEnd and Array.prototype.join
//     refuse results longer than 2^24 code units ("Invalid string
//     length"); the Array.prototype methods that visit every element, the
//     array iterator (spreading, for-of, new Set(a)), Array.from, split and
//     the string iterator refuse more than MaxMemory/16 elements; apply,
//     Reflect.apply and Reflect.construct refuse more than 2^17 arguments;
//     ArrayBuffer and the typed arrays refuse more than MaxMemory/16 bytes
//     (their constructors are replaced by checking ones that keep the same
//     prototypes). A length computed by a getter or a Proxy could tell the
//     check one thing and the built-in another, so those built-ins refuse
//     such objects with a TypeError. See bounds.go. Deployments should still
//     bound the process (GOMEMLIMIT, a container memory limit): a built-in
//     this list misses can allocate until the process runs out.
//
// # Isolation and reuse
//
// Code is compiled once per key (the endpoint's CodeKey) into a shared
// goja.Program; the least recently used of 256 keys is dropped first. Each
// key keeps up to 4 idle runtimes (128 in all); a runtime only ever runs the
// code of its key, so one endpoint's code never shares a runtime with
// another's. A scratch key (hookbridge.ScratchKey: one per app, the test
// API's) is cached the same way, so that an app trying out the same code
// again reuses its runtimes — never another app's — while its runs are
// limited as those of code without a key (see Sandbox.execute). An empty
// key compiles afresh and uses a fresh runtime, and so does Check.
//
// Built-ins cannot be tampered with between calls: after the user's
// top-level code has run (so top-level polyfills still work), the
// constructors, prototypes and namespace objects (Object, Array, String,
// JSON, Math, Promise, the errors, the typed arrays, the iterator
// prototypes, console and hb, …) are frozen. Assigning to them inside a
// handler then fails silently, or throws a TypeError in strict code. So
// that freezing does not break ordinary code that shadows an inherited
// property by assignment (obj.toString = …, this.name = … in an Error
// subclass), those few properties are turned into accessors that create
// the own property instead. What a pooled runtime does keep between calls
// is the user's own top-level state (var and let bindings at the top of
// the code), like a module in a warm serverless function: handlers must
// not rely on it, and it never crosses keys.
//
// Source maps are disabled in the parser: a //# sourceMappingURL comment
// would otherwise make goja read a file, including from eval. goja's
// non-standard GoError global is removed.
package js

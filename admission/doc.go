// Package admission decides when a transformation may run. Every caller
// of the JavaScript sandbox — the delivery planner, the API's
// transformation test and the check of an endpoint's code — asks a Gate
// before it runs user code, and gives the run back when it returns.
//
// A Gate bounds the runs in progress four ways: at most Limits.Runs in
// the whole process, at most Limits.RunsPerApp of one app, at most
// Limits.RunsPerLane of one lane (an endpoint) of an app, and within
// Limits.Memory, the process-wide memory budget, of which every run
// reserves its own budget (Limits.RunMemory, the sandbox's per-run
// memory limit). The sandbox cannot tell which run allocated what (see
// package js): it stops a run once the process's live heap has grown
// past the run's budget since the run started. Reserving the whole
// per-run budget for every run in progress is what keeps their sum within
// the process-wide one.
//
// A run that may not start waits, in line: when a run ends, the next to
// start is the waiting run whose app has the fewest runs in progress
// (earliest arrival among equals), the first of that app's that its lane
// lets start, so one app's queue of hostile code never keeps another
// app's runs waiting behind it, nor one endpoint's its app's others. A wait ends when the
// caller's context ends or its own bound passes; the error then says
// which limit was spent (BusyError, ErrBusy).
//
// The package must not run code, read the clock for anything but the
// wait's bound, or keep any state outside a Gate.
package admission

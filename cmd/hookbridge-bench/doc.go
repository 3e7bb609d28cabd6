// Command hookbridge-bench measures hookbridge under load: it starts a
// hookbridge in its own process (node.Open and Run on 127.0.0.1, SQLite in
// a temporary directory or PostgreSQL with --database-url) or loads a
// running one (--target), runs a sink on 127.0.0.1 that answers like the
// destination, posts payment events at a fixed rate or as fast as it can
// for a bounded time, waits a bounded time for their delivery, and reports
// accepted events/s, ingest latency, delivered vs accepted, delivery lag,
// the CPU time used per delivery (steadier than a rate on a shared
// machine), what an in-process SQLite store's single writer did, and, with
// --backlog, how fast a queue of events drains.
//
// It must not send anything beyond the hookbridge and the sink it names,
// nor run unbounded: durations, event counts and waits all have limits.
// Its numbers belong to the machine they were taken on; see
// docs/benchmarks.md for the method and the numbers we publish.
//
//	go run ./cmd/hookbridge-bench --scenario segment-doc --duration 10s
//	go run ./cmd/hookbridge-bench --scenario webhook --rate 200
//	go run ./cmd/hookbridge-bench --scenario fanout10 --backlog 5000
//	go run ./cmd/hookbridge-bench --database-url postgres://…
package main

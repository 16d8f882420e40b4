// Package transform holds the column strategies of anon and the batch pipeline
// that applies them.
//
// A [Strategy] is a pure function of its options, the run's [Secret] and one
// input column: it has no global state, does no I/O and reads no clock. That
// is what makes runs deterministic whatever the batch size, the number of
// workers or the input format. Per-goroutine scratch state (the keyed hash and
// the seeded fake generator) lives in a [Worker], one per pipeline worker.
//
// Strategies are declared as data in a [Spec] (name, summary, parameters,
// example) and listed in the registry ([Specs], [Lookup]). The profile parser
// validates options against the spec, and `anon strategies` prints it, so
// help, docs and validation cannot drift apart.
//
// The package imports Arrow only; it never imports formats.
package transform

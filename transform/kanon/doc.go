// Package kanon enforces k-anonymity on a stream of Arrow record batches.
//
// It works in two passes. [Prepare] reads the quasi-identifier columns of a
// [transform.Source] once and counts the distinct tuples of values (memory
// grows with the distinct tuples, not with rows; a [Counter] from one half of
// a file merges with one from the other). It then searches for a recoding:
//
//   - global (full-domain generalization): one hierarchy level per
//     quasi-identifier for the whole table, the exact optimum of the chosen
//     metric over the lattice of level combinations, among those where at
//     most floor(suppression_limit × N) records sit in classes smaller than k
//     (those records are suppressed). The search walks a spanning tree of the
//     lattice from the original data upwards, rolls class counts up from the
//     parent node, and prunes every subtree whose lower bound of the metric
//     (the metric with no record suppressed, which only grows with
//     generalization, as in OLA) cannot beat the best node found;
//   - local: a top-down, Mondrian-style partitioning that specializes one
//     hierarchy level of one quasi-identifier at a time inside each
//     partition, so that different records may get different levels.
//
// The second pass is the [transform.BatchStage] from [Result.Stage]: it
// replaces the quasi-identifiers with their generalized text and removes the
// suppressed rows or sets all their quasi-identifiers to "*".
//
// The metrics follow ARX (https://github.com/arx-deidentifier/arx, folder
// src/main/org/deidentifier/arx/metric/v2) with its default settings, so that
// numbers compare; see [Metrics].
//
// The package does no I/O: hierarchy files are read through the callback
// given to [Config.Load].
package kanon

// Package profiles parses and validates anon profiles: versioned YAML
// documents that name a strategy for every column of a table.
//
// A profile looks like this:
//
//	version: 1
//	default: error          # what to do with a column the profile does not name
//	columns:
//	  id: keep
//	  email: {strategy: fake, kind: email}
//	  zip: {strategy: generalize, keep_first: 3}
//	  salary: {strategy: noise, relative: 0.05, type: float64}
//
// Every problem is reported with the profile's file name, line and column
// and the path of the offending key (columns.zip.keep_first), all at once.
// Options are checked against each strategy's [transform.Spec], the same
// specification that `anon strategies` prints.
package profiles

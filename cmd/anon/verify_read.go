package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/anon-data/anon/formats"
	"github.com/anon-data/anon/profiles"
)

// Strategy groups, as verify sees them.
var (
	// protectedStrategies hide the original values: none of them may appear
	// in the output.
	protectedStrategies = set("fake", "hash", "mask", "scrub", "null", "drop", "tokenize")

	// generatedStrategies write values of their own. Their output column is
	// checked row by row against its original (an unchanged value is a
	// leak), not searched for other records' values: a fake first name may
	// by chance be another customer's real one.
	generatedStrategies = set("fake", "hash", "mask", "null", "tokenize", "constant")

	// keptStrategies copy values (k-anonymity generalizes them).
	keptStrategies = set("keep", kanonStrategy)
)

// kanonStrategy is the rule name of a k-anonymity quasi-identifier.
const kanonStrategy = "k-anonymity"

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// columnRoles maps each column of the original to the strategy the profile
// gives it (the default for unnamed ones). It fails, like `anon run`, when
// the profile leaves columns without a strategy.
func columnRoles(prof *profiles.Profile, schema *arrow.Schema) (map[string]string, error) {
	roles := map[string]string{}
	for _, r := range prof.Rules(schema) {
		roles[r.Column] = r.Strategy
	}
	var missing []string
	for _, f := range schema.Fields() {
		if _, ok := roles[f.Name]; !ok {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%s: the profile names no strategy for columns of the "+
			"original: %s", prof.Path, strings.Join(missing, ", "))
	}
	return roles, nil
}

// textOf returns a function giving value i of arr as text, "" for null.
// Text values are the array's own bytes converted once; other types are
// formatted with ValueStr.
func textOf(arr arrow.Array) func(i int) string {
	switch a := arr.(type) {
	case *array.String:
		return func(i int) string { return nullOr(a, i, a.Value) }
	case *array.LargeString:
		return func(i int) string { return nullOr(a, i, a.Value) }
	case *array.StringView:
		return func(i int) string { return nullOr(a, i, a.Value) }
	case *array.Binary:
		return func(i int) string { return nullOr(a, i, a.ValueString) }
	case *array.LargeBinary:
		return func(i int) string { return nullOr(a, i, a.ValueString) }
	}
	return func(i int) string { return nullOr(arr, i, arr.ValueStr) }
}

func nullOr(a arrow.Array, i int, get func(int) string) string {
	if a.IsNull(i) {
		return ""
	}
	return get(i)
}

// forEachBatch reads every batch of path, calling fn for each, and stops at
// the first error.
func forEachBatch(path string, opt formats.ReadOptions,
	fn func(arrow.RecordBatch) error) (*arrow.Schema, error) {
	r, err := formats.Open(path, opt)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	for r.Next() {
		if err := fn(r.RecordBatch()); err != nil {
			return nil, err
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return r.Schema(), nil
}

// rowCursor walks the rows of a reader one at a time, across batches, to
// compare them with the rows of another file.
type rowCursor struct {
	r     formats.Reader
	cols  []int // column indices of interest
	texts []func(int) string
	n, i  int
	done  bool
}

func openCursor(path string, opt formats.ReadOptions, names []string) (*rowCursor, error) {
	r, err := formats.Open(path, opt)
	if err != nil {
		return nil, err
	}
	c := &rowCursor{r: r}
	for _, name := range names {
		idx := r.Schema().FieldIndices(name)
		if len(idx) == 0 {
			r.Close()
			return nil, fmt.Errorf("%s: no column %q", opt.Name, name)
		}
		c.cols = append(c.cols, idx[0])
	}
	return c, nil
}

// next moves to the next row and reports whether there is one.
func (c *rowCursor) next() (bool, error) {
	if c.done {
		return false, nil
	}
	c.i++
	for c.i >= c.n {
		if !c.r.Next() {
			c.done = true
			return false, c.r.Err()
		}
		b := c.r.RecordBatch()
		c.n, c.i = int(b.NumRows()), 0
		c.texts = c.texts[:0]
		for _, idx := range c.cols {
			c.texts = append(c.texts, textOf(b.Column(idx)))
		}
	}
	return true, nil
}

// text returns the current row's value of the k-th column of interest.
func (c *rowCursor) text(k int) string { return c.texts[k](c.i) }

func (c *rowCursor) close() { c.r.Close() }

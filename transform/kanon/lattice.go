package kanon

import (
	"fmt"
	"math"

	"github.com/anon-data/anon/transform/hierarchy"
)

// domain holds the counted tuples and, per quasi-identifier, its hierarchy
// coded as integers: everything the search and the metrics read.
type domain struct {
	names   []string // quasi-identifier columns
	d       int      // number of quasi-identifiers
	width   int      // codes per tuple: d, plus 1 with a sensitive column
	heights []int

	// gen[q][l][code] is the generalization id, at level l, of the value
	// coded code in column q; labels[q][l][id] is its text.
	gen    [][][]int32
	labels [][][]string

	// share[q][l][id] is the share of the hierarchy's leaves under id.
	share  [][][]float64
	leaves []int // number of leaves of each hierarchy

	// up[q][l][id] is the id at level l+1 of the id at level l.
	up [][][]int32

	// shift[q] is where column q's id sits in a packed key, and bits the
	// total width; packed keys are used when bits <= 64.
	shift []uint
	bits  uint

	codes  []int32 // tuple-major, width per tuple
	counts []int64
	n      int64
	sens   bool // the last code of each tuple is the sensitive value
}

// newDomain builds the hierarchies from the configuration and the values the
// counter saw, and codes them.
func newDomain(cfg *Config, c *Counter, names []string, sens bool) (*domain, error) {
	dm := &domain{
		names: names, d: len(names), width: len(c.columns),
		codes: c.codes, counts: c.counts, n: c.rows, sens: sens,
	}
	for q, name := range names {
		h, err := buildHierarchy(cfg.QuasiIdentifiers[name], c.values[q])
		if err != nil {
			return nil, fmt.Errorf("k_anonymity.quasi_identifiers.%s: %w", name, err)
		}
		if err := dm.addColumn(h, c.values[q]); err != nil {
			return nil, fmt.Errorf("k_anonymity.quasi_identifiers.%s: %w", name, err)
		}
	}
	return dm, nil
}

// buildHierarchy returns the file hierarchy, or builds the built-in one from
// the observed values.
func buildHierarchy(q *QuasiIdentifier, values []string) (*hierarchy.Hierarchy, error) {
	switch {
	case q.file != nil:
		return q.file, nil
	case q.Hierarchy != "":
		return nil, fmt.Errorf("hierarchy file not loaded (call Config.Load)")
	case q.MaskSuffix:
		return hierarchy.MaskSuffix(values)
	case q.Intervals != nil:
		return hierarchy.Intervals(values, q.Intervals)
	case q.Dates:
		return hierarchy.Dates(values)
	}
	return nil, fmt.Errorf("no hierarchy configured")
}

// addColumn codes hierarchy h for the observed values.
func (dm *domain) addColumn(h *hierarchy.Hierarchy, values []string) error {
	leafOf := make([]int, len(values))
	for code, v := range values {
		leaf, ok := h.Index(v)
		if !ok {
			return fmt.Errorf("a value in the data is not in the hierarchy "+
				"(value %d of the column's dictionary)", code+1)
		}
		leafOf[code] = leaf
	}
	if err := h.CheckNested(leafOf); err != nil {
		return err
	}

	height := h.Height()
	gen := make([][]int32, height+1)
	labels := make([][]string, height+1)
	share := make([][]float64, height+1)
	up := make([][]int32, height)
	for l := 0; l <= height; l++ {
		// Leaves under each label, over the whole hierarchy.
		under := map[string]int{}
		for i := 0; i < h.Leaves(); i++ {
			under[h.At(i, l)]++
		}

		ids := map[string]int32{}
		gen[l] = make([]int32, len(values))
		for code, leaf := range leafOf {
			label := h.At(leaf, l)
			id, ok := ids[label]
			if !ok {
				id = int32(len(labels[l]))
				ids[label] = id
				labels[l] = append(labels[l], label)
				share[l] = append(share[l], float64(under[label])/float64(h.Leaves()))
			}
			gen[l][code] = id
		}
	}

	for l := 0; l < height; l++ {
		up[l] = make([]int32, len(labels[l]))
		for code := range values {
			up[l][gen[l][code]] = gen[l+1][code]
		}
	}
	width := uint(1)
	for 1<<width < len(labels[0]) {
		width++
	}
	dm.shift = append(dm.shift, dm.bits)
	dm.bits += width

	dm.up = append(dm.up, up)
	dm.heights = append(dm.heights, height)
	dm.gen = append(dm.gen, gen)
	dm.labels = append(dm.labels, labels)
	dm.share = append(dm.share, share)
	dm.leaves = append(dm.leaves, h.Leaves())
	return nil
}

// ids fills ids with the id of column q at level l of every class of cl.
func (dm *domain) ids(cl *classList, q, l int, ids []int32) []int32 {
	ids = ids[:0]
	if len(cl.key) == len(cl.rep) && dm.bits <= 64 {
		shift := dm.shift[q]
		end := dm.bits
		if q+1 < dm.d {
			end = dm.shift[q+1]
		}
		field := uint64(1)<<(end-shift) - 1
		for _, key := range cl.key {
			ids = append(ids, int32((key>>shift)&field))
		}
		return ids
	}
	gen := dm.gen[q][l]
	for _, r := range cl.rep {
		ids = append(ids, gen[dm.codes[int(r)*dm.width+q]])
	}
	return ids
}

// nodes returns the number of level combinations, or -1 if it passes
// MaxNodes.
func (dm *domain) nodes() int {
	n := 1
	for _, h := range dm.heights {
		n *= h + 1
		if n > MaxNodes {
			return -1
		}
	}
	return n
}

// radix fills radix with the number of ids of each column at levels and
// reports whether a mixed-radix key of them fits in a uint64.
func (dm *domain) radix(levels []int, radix []uint64) bool {
	prod := 1.0
	for q, l := range levels {
		radix[q] = uint64(len(dm.labels[q][l]))
		prod *= float64(radix[q])
	}
	return prod < math.MaxUint64/2
}

package kanon

import (
	"context"
	"sort"
)

// part is one partition of the local search: some counted tuples, which all
// share their generalized values at levels.
type part struct {
	tuples []int32
	levels []int
}

// local partitions the tuples top-down, Mondrian-style, on the hierarchies.
// It starts from one partition with every column at its top level ("*") and
// repeatedly specializes one column of one partition by one level: the
// partition splits by the column's values at the lower level, every group
// with at least k records (and l distinct sensitive values) becomes a
// partition of its own, and the groups that are too small stay together at
// the current level (absorbing the smallest large groups until they too are
// large enough). Among the columns it picks the split with the smallest sum
// of squared part sizes. Every partition keeps at least k records, so every
// output class, a union of partitions, has at least k. The caller checks that
// the whole table has k records.
func (dm *domain) local(ctx context.Context, k int64, l int) (outcome, error) {
	o := outcome{
		levels:     make([]int16, len(dm.counts)*dm.d),
		suppressed: make([]bool, len(dm.counts)),
	}
	root := part{tuples: make([]int32, len(dm.counts)), levels: append([]int(nil), dm.heights...)}
	for t := range root.tuples {
		root.tuples[t] = int32(t)
	}

	stack := []part{root}
	steps := 0
	for len(stack) > 0 {
		if steps++; steps%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return o, err
			}
		}
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]

		children := dm.bestSplit(p, k, l)
		if children == nil {
			for _, t := range p.tuples {
				for q, lv := range p.levels {
					o.levels[int(t)*dm.d+q] = int16(lv)
				}
			}
			continue
		}
		stack = append(stack, children...)
	}
	return o, nil
}

// group is the records of a partition that share one value at a level.
type group struct {
	tuples []int32
	size   int64
	sens   []int32
}

// bestSplit returns the parts of p's best split, or nil if no column splits.
// Columns whose lower level does not split p are lowered for free first.
func (dm *domain) bestSplit(p part, k int64, l int) []part {
	var best []part
	var bestScore float64
	for q := 0; q < dm.d; q++ {
		for p.levels[q] > 0 {
			groups := dm.groupBy(p.tuples, q, p.levels[q]-1, l)
			if len(groups) > 1 {
				parts, score := dm.splitParts(p, q, groups, k, l)
				if parts != nil && (best == nil || score < bestScore) {
					best, bestScore = parts, score
				}
				break
			}
			p.levels[q]--
		}
	}
	return best
}

// groupBy groups tuples by column q's value at level lv, in order of first
// appearance.
func (dm *domain) groupBy(tuples []int32, q, lv, l int) []*group {
	gen := dm.gen[q][lv]
	byID := map[int32]*group{}
	var order []*group
	for _, t := range tuples {
		id := gen[dm.codes[int(t)*dm.width+q]]
		g := byID[id]
		if g == nil {
			g = &group{}
			byID[id] = g
			order = append(order, g)
		}
		g.tuples = append(g.tuples, t)
		g.size += dm.counts[t]
		if l > 0 {
			g.sens = mergeDistinct(g.sens, []int32{dm.codes[int(t)*dm.width+dm.d]}, l)
		}
	}
	return order
}

// splitParts turns the groups of p on column q into parts, or returns nil
// when no group can stand alone.
func (dm *domain) splitParts(p part, q int, groups []*group, k int64, l int) ([]part, float64) {
	ok := func(g *group) bool { return g.size >= k && len(g.sens) >= l }
	var big []*group
	rest := &group{}
	for _, g := range groups {
		if ok(g) {
			big = append(big, g)
			continue
		}
		rest.tuples = append(rest.tuples, g.tuples...)
		rest.size += g.size
		rest.sens = mergeDistinct(rest.sens, g.sens, l)
	}

	// The small groups must form a valid part too: absorb the smallest big
	// groups until they do.
	sort.SliceStable(big, func(i, j int) bool { return big[i].size < big[j].size })
	for len(rest.tuples) > 0 && !ok(rest) && len(big) > 0 {
		g := big[0]
		big = big[1:]
		rest.tuples = append(rest.tuples, g.tuples...)
		rest.size += g.size
		rest.sens = mergeDistinct(rest.sens, g.sens, l)
	}
	if len(big) == 0 || (len(rest.tuples) > 0 && !ok(rest)) {
		return nil, 0
	}

	var parts []part
	var score float64
	for _, g := range big {
		lv := append([]int(nil), p.levels...)
		lv[q]--
		parts = append(parts, part{tuples: g.tuples, levels: lv})
		score += float64(g.size) * float64(g.size)
	}
	if len(rest.tuples) > 0 {
		parts = append(parts, part{tuples: rest.tuples, levels: append([]int(nil), p.levels...)})
		score += float64(rest.size) * float64(rest.size)
	}
	return parts, score
}

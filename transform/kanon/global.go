package kanon

import (
	"context"
	"errors"
	"math"
)

// ErrNotReachable is returned when no recoding reaches k (and l) within the
// suppression limit.
var ErrNotReachable = errors.New("k-anonymity cannot be reached within the suppression limit")

// ErrTooLarge is returned when the lattice of the global method is too large
// to search.
var ErrTooLarge = errors.New("k-anonymity search space too large")

// MaxNodes is the largest lattice the global method searches.
const MaxNodes = 50_000_000

// searcher finds the optimal full-domain generalization.
type searcher struct {
	dm      *domain
	k       int64
	l       int
	maxSupp int64
	metric  string
	grp     *grouper

	// entropyAt[q][l] is the non-uniform entropy of column q at level l
	// without suppression.
	entropyAt [][]float64

	best      float64
	bestNodes []int
	found     bool
	visited   int
	suppCount [][]int64 // per column, scratch counts by id
	idBuf     []int32
}

func newSearcher(dm *domain, k int64, l int, maxSupp int64, metric string) *searcher {
	s := &searcher{
		dm: dm, k: k, l: l, maxSupp: maxSupp, metric: metric,
		grp: newGrouper(dm, l), best: math.Inf(1),
	}
	s.entropyAt = make([][]float64, dm.d)
	for q := 0; q < dm.d; q++ {
		s.entropyAt[q] = make([]float64, dm.heights[q]+1)
		a := make([]int64, len(dm.labels[q][0]))
		for t, c := range dm.counts {
			a[dm.codes[t*dm.width+q]] += c
		}
		for lv := range s.entropyAt[q] {
			gen := dm.gen[q][lv]
			b := make([]int64, len(dm.labels[q][lv]))
			for code, c := range a {
				b[gen[code]] += c
			}
			var e float64
			for code, c := range a {
				if c > 0 {
					e -= float64(c) * math.Log2(float64(c)/float64(b[gen[code]]))
				}
			}
			s.entropyAt[q][lv] = e
		}
		s.suppCount = append(s.suppCount, make([]int64, len(dm.labels[q][0])))
	}
	return s
}

// global returns the levels of the optimal node.
func (s *searcher) global(ctx context.Context) ([]int, error) {
	dm := s.dm
	levels := make([]int, dm.d)
	free := make([]*classList, 0, 64)
	get := func() *classList {
		if n := len(free); n > 0 {
			cl := free[n-1]
			free = free[:n-1]
			return cl
		}
		return &classList{}
	}

	// Depth-first walk of the spanning tree in which the parent of a node
	// is the node with its last non-zero level lowered by one: the children
	// of a node raise a column at or after its last raised column. Every
	// child is coarser than its parent, so its classes roll up from the
	// parent's, and a lower bound that grows with generalization prunes
	// the whole subtree.
	var walk func(from, raised int, src *classList) error
	walk = func(from, raised int, src *classList) error {
		if !s.needsClasses() && s.found && s.bound(levels, nil) >= s.best {
			return nil
		}
		if s.visited%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		s.visited++
		cl := get()
		defer func() { free = append(free, cl) }()
		s.grp.step(levels, raised, src, cl)

		v, supp := s.value(levels, cl)
		if supp <= s.maxSupp && (!s.found || v < s.best) {
			s.best, s.found = v, true
			s.bestNodes = append(s.bestNodes[:0], levels...)
		}
		if s.found && s.bound(levels, cl) >= s.best {
			return nil
		}

		for q := from; q < dm.d; q++ {
			if levels[q] == dm.heights[q] {
				continue
			}
			levels[q]++
			err := walk(q, q, cl)
			levels[q]--
			if err != nil {
				return err
			}
		}
		return nil
	}
	bottom := s.grp.bottom()
	s.greedy(bottom)
	if err := walk(0, -1, bottom); err != nil {
		return nil, err
	}
	if !s.found {
		return nil, ErrNotReachable
	}
	return s.bestNodes, nil
}

// greedy seeds the best node with a quick climb from the bottom: at each
// step it raises the column that leaves the fewest records suppressed, or,
// once within the limit, the one with the best metric, while that improves.
// A good first bound lets the exact walk prune more; the walk replaces the
// seed only with a strictly better node, so the result stays the optimum.
func (s *searcher) greedy(bottom *classList) {
	dm := s.dm
	levels := make([]int, dm.d)
	cur, next, trial := &classList{}, &classList{}, &classList{}
	s.grp.step(levels, -1, bottom, cur)
	curValue, curSupp := s.value(levels, cur)
	for {
		bestQ, bestValue, bestSupp := -1, math.Inf(1), int64(math.MaxInt64)
		for q := 0; q < dm.d; q++ {
			if levels[q] == dm.heights[q] {
				continue
			}
			levels[q]++
			s.grp.step(levels, q, cur, trial)
			v, supp := s.value(levels, trial)
			levels[q]--
			feasible := supp <= s.maxSupp
			better := (feasible && v < bestValue) ||
				(!feasible && bestSupp > s.maxSupp && supp < bestSupp)
			if better {
				bestQ, bestValue, bestSupp = q, v, supp
				next, trial = trial, next
			}
		}
		if bestQ < 0 || (curSupp <= s.maxSupp && bestValue >= curValue) {
			break
		}
		levels[bestQ]++
		cur, next = next, cur
		curValue, curSupp = bestValue, bestSupp
	}
	if curSupp <= s.maxSupp {
		s.best, s.found = curValue, true
		s.bestNodes = append(s.bestNodes[:0], levels...)
	}
}

// needsClasses reports whether the metric's lower bound needs the classes.
func (s *searcher) needsClasses() bool {
	return s.metric != MetricPrecision && s.metric != MetricEntropy
}

func (s *searcher) isSuppressed(cl *classList, c int) bool {
	return cl.size[c] < s.k || (s.l > 0 && len(cl.sens[c]) < s.l)
}

// bound returns a lower bound of the metric at levels and at every coarser
// node: the metric with no record suppressed, which every metric here only
// raises when records are suppressed, and which grows with generalization.
func (s *searcher) bound(levels []int, cl *classList) float64 {
	dm := s.dm
	n := float64(dm.n)
	switch s.metric {
	case MetricAvgClassSize:
		return n / float64(len(cl.rep))
	case MetricPrecision:
		return s.precision(levels, 0)
	case MetricLoss:
		return s.loss(levels, cl, false)
	case MetricEntropy:
		var e float64
		for q, l := range levels {
			e += s.entropyAt[q][l]
		}
		return e
	}
	var sum float64
	for _, c := range cl.size {
		sum += float64(c) * float64(c)
	}
	return sum
}

// value returns the metric at levels and the number of suppressed records.
func (s *searcher) value(levels []int, cl *classList) (float64, int64) {
	dm := s.dm
	n := float64(dm.n)
	var supp int64
	var kept int
	var dmSum float64
	for c, size := range cl.size {
		if s.isSuppressed(cl, c) {
			supp += size
			continue
		}
		kept++
		dmSum += float64(size) * float64(size)
	}
	if supp > s.maxSupp {
		return math.Inf(1), supp
	}

	switch s.metric {
	case MetricAvgClassSize:
		groups := float64(kept)
		if supp > 0 {
			groups++
		}
		return n / groups, supp
	case MetricPrecision:
		return s.precision(levels, supp), supp
	case MetricLoss:
		return s.loss(levels, cl, true), supp
	case MetricEntropy:
		return s.entropy(levels, cl, supp), supp
	}
	return dmSum + float64(supp)*n, supp
}

func (s *searcher) precision(levels []int, supp int64) float64 {
	dm := s.dm
	n := float64(dm.n)
	kept := n - float64(supp)
	var p float64
	for q, l := range levels {
		var part float64
		if dm.heights[q] > 0 {
			part = kept * float64(l) / float64(dm.heights[q])
		}
		p += (part + float64(supp)) / n
	}
	return p / float64(dm.d)
}

// loss computes the loss metric; with suppress false, no record counts as
// suppressed (the lower bound).
func (s *searcher) loss(levels []int, cl *classList, suppress bool) float64 {
	dm := s.dm
	n := float64(dm.n)
	result := 1.0
	for q, l := range levels {
		share := dm.share[q][l]
		s.idBuf = dm.ids(cl, q, l, s.idBuf)
		var sum float64
		for c, id := range s.idBuf {
			size := float64(cl.size[c])
			if suppress && s.isSuppressed(cl, c) {
				sum += size
				continue
			}
			sum += size * share[id]
		}
		result *= math.Pow(normalizeLoss(sum, n, dm.leaves[q])+1, 1/float64(dm.d))
	}
	return result - 1
}

func (s *searcher) entropy(levels []int, cl *classList, supp int64) float64 {
	dm := s.dm
	var e float64
	for q, l := range levels {
		e += s.entropyAt[q][l]
		if supp == 0 {
			continue
		}
		counts := s.suppCount[q]
		s.idBuf = dm.ids(cl, q, l, s.idBuf)
		var touched []int32
		for c, id := range s.idBuf {
			if s.isSuppressed(cl, c) {
				if counts[id] == 0 {
					touched = append(touched, id)
				}
				counts[id] += cl.size[c]
			}
		}
		for _, id := range touched {
			c := counts[id]
			counts[id] = 0
			e -= float64(c) * math.Log2(float64(c)/float64(supp))
		}
	}
	return e
}

package kanon

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/anon-data/anon/transform"
)

// Result is the recoding found by [Prepare]: for each distinct tuple of
// quasi-identifier values, its generalized values or "suppressed".
type Result struct {
	cfg        *Config
	suppressed string
	counter    *Counter
	dm         *domain
	out        outcome
	report     Report
}

// Report describes a recoding; it goes into the run's JSON report.
type Report struct {
	// Method is global or local.
	Method string `json:"method"`

	// K is the k asked for; AchievedK is the size of the smallest class
	// kept (0 when every record is suppressed).
	K         int   `json:"k"`
	AchievedK int64 `json:"achieved_k"`

	// L is the l of l-diversity, 0 when off.
	L int `json:"l,omitempty"`

	// Metric is the metric minimized.
	Metric string `json:"metric"`

	// Records is the number of input records.
	Records int64 `json:"records"`

	// Classes is the number of classes kept.
	Classes int `json:"classes"`

	// Suppressed is the number of suppressed records; SuppressionLimit the
	// most that were allowed.
	Suppressed       int64 `json:"suppressed"`
	SuppressionLimit int64 `json:"suppression_limit"`

	// Levels is, for the global method, the hierarchy level chosen for each
	// quasi-identifier.
	Levels map[string]int `json:"levels,omitempty"`

	// Metrics holds every metric of the recoding.
	Metrics Metrics `json:"metrics"`

	// Nodes is the number of lattice nodes of the global method, and
	// Visited the number it evaluated.
	Nodes   int `json:"nodes,omitempty"`
	Visited int `json:"visited,omitempty"`
}

// Prepare runs the first pass and the search: it reads the quasi-identifier
// columns (and the l-diversity column) of every batch of src, counts the
// distinct tuples, and finds the recoding. cfg must have been loaded with
// [Config.Load]. It returns [ErrNotReachable] when no recoding satisfies the
// configuration within the suppression limit.
func Prepare(ctx context.Context, cfg *Config, src transform.Source) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := NewCounter(countedColumns(cfg))
	for src.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := c.Add(src.RecordBatch()); err != nil {
			return nil, err
		}
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	return Search(ctx, cfg, c)
}

// countedColumns returns the quasi-identifiers, then the sensitive column.
func countedColumns(cfg *Config) []string {
	cols := cfg.Columns()
	if cfg.LDiversity != nil {
		cols = append(cols, cfg.LDiversity.Column)
	}
	return cols
}

// Search finds the recoding for the tuples counted by c, which must count
// the quasi-identifiers in [Config.Columns] order, then the l-diversity
// column if any (as [Prepare] does). c must not change afterwards.
func Search(ctx context.Context, cfg *Config, c *Counter) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	metric, method, suppressed := cfg.withDefaults()
	names := cfg.Columns()
	if want := countedColumns(cfg); fmt.Sprint(want) != fmt.Sprint(c.columns) {
		return nil, errors.New("kanon: the counter does not count the configured columns")
	}
	l := 0
	if cfg.LDiversity != nil {
		l = cfg.LDiversity.L
	}

	r := &Result{cfg: cfg, suppressed: suppressed, counter: c}
	r.report = Report{
		Method: method, K: cfg.K, L: l, Metric: metric, Records: c.rows,
		SuppressionLimit: int64(math.Floor(cfg.SuppressionLimit*float64(c.rows) + 1e-9)),
	}
	if c.rows == 0 {
		return r, nil
	}

	dm, err := newDomain(cfg, c, names, l > 0)
	if err != nil {
		return nil, err
	}
	r.dm = dm
	k := int64(cfg.K)

	switch {
	case !reachable(dm, k, l):
		// Not even the fully generalized table is large or diverse enough:
		// suppress every record, if allowed.
		if r.report.SuppressionLimit < c.rows {
			return nil, ErrNotReachable
		}
		r.out = outcome{
			levels:     make([]int16, len(dm.counts)*dm.d),
			suppressed: make([]bool, len(dm.counts)),
		}
		for t := range r.out.suppressed {
			r.out.suppressed[t] = true
		}
	case method == MethodLocal:
		r.out, err = dm.local(ctx, k, l)
		if err != nil {
			return nil, err
		}
	default:
		if nodes := dm.nodes(); nodes < 0 || nodes > MaxNodes {
			return nil, fmt.Errorf("%w: the lattice of the global method has more than %d "+
				"nodes; use method local or hierarchies with fewer levels", ErrTooLarge, MaxNodes)
		}
		s := newSearcher(dm, k, l, r.report.SuppressionLimit, metric)
		levels, err := s.global(ctx)
		if err != nil {
			return nil, err
		}
		r.out = s.apply(levels)
		r.report.Levels = map[string]int{}
		for q, name := range names {
			r.report.Levels[name] = levels[q]
		}
		r.report.Nodes, r.report.Visited = dm.nodes(), s.visited
	}

	sum := dm.summarize(r.out)
	r.report.Classes, r.report.AchievedK = sum.classes, sum.smallest
	r.report.Suppressed, r.report.Metrics = sum.suppressed, sum.metrics
	return r, nil
}

// reachable reports whether the whole table, as one class, satisfies k and l.
func reachable(dm *domain, k int64, l int) bool {
	if dm.n < k {
		return false
	}
	if l == 0 {
		return true
	}
	seen := map[int32]bool{}
	for t := range dm.counts {
		seen[dm.codes[t*dm.width+dm.d]] = true
	}
	return len(seen) >= l
}

// apply returns the outcome of the node at levels: every tuple at those
// levels, the tuples of classes that are too small suppressed.
func (s *searcher) apply(levels []int) outcome {
	dm := s.dm
	o := outcome{
		levels:     make([]int16, len(dm.counts)*dm.d),
		suppressed: make([]bool, len(dm.counts)),
	}
	for t := range dm.counts {
		for q, l := range levels {
			o.levels[t*dm.d+q] = int16(l)
		}
	}

	// Group the tuples themselves (reps are tuples) to find small classes.
	bottom := s.grp.bottom()
	cl := &classList{}
	s.grp.group(levels, bottom, cl)
	small := map[string]bool{}
	for c := range cl.rep {
		if s.isSuppressed(cl, c) {
			small[s.classKey(levels, int(cl.rep[c]))] = true
		}
	}
	if len(small) > 0 {
		for t := range dm.counts {
			o.suppressed[t] = small[s.classKey(levels, t)]
		}
	}
	return o
}

func (s *searcher) classKey(levels []int, t int) string {
	key := make([]byte, 0, 4*len(levels))
	for q, l := range levels {
		id := s.dm.gen[q][l][s.dm.codes[t*s.dm.width+q]]
		key = append(key, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
	}
	return string(key)
}

// Report returns the figures of the recoding.
func (r *Result) Report() Report {
	rep := r.report
	if rep.Levels != nil {
		rep.Levels = make(map[string]int, len(r.report.Levels))
		for k, v := range r.report.Levels {
			rep.Levels[k] = v
		}
	}
	return rep
}

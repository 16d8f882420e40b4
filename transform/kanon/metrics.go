package kanon

import (
	"math"
	"strings"
)

// Metrics are the information loss figures of a recoding, computed as ARX
// computes them with its default settings (generalization and suppression
// weighted equally; no attribute weights). In ARX's sources
// (src/main/org/deidentifier/arx/metric/v2/):
//
//   - DM is MetricSDNMDiscernability: the sum of the squared sizes of the
//     classes that are kept, plus N for each suppressed record.
//   - AvgClassSize is MetricSDAECS: N divided by the number of classes kept,
//     plus one if any record is suppressed (they form one more class).
//   - Precision is MetricMDNMPrecision with the arithmetic mean: per
//     quasi-identifier, (kept records × level/height + suppressed records)/N,
//     averaged over the quasi-identifiers (the generalization intensity).
//   - Loss is MetricMDNMLoss with the geometric mean (ARX's default
//     aggregate): per quasi-identifier, the sum over kept records of the
//     share of the hierarchy's leaves under the record's generalized value,
//     plus 1 per suppressed record, normalized to (x - N/leaves)/(N -
//     N/leaves); the figures v_i are combined as prod(v_i+1)^(1/d) - 1.
//   - Entropy is MetricMDNUNMEntropyPrecomputed with the sum: per
//     quasi-identifier, -sum over records of log2(P(original value |
//     generalized value)), plus, over the suppressed records, -sum over
//     generalized values g of c_g × log2(c_g/S), S being the number of
//     suppressed records.
//
// ARX rounds its figures; these are not rounded. For the local method,
// levels are taken per record.
type Metrics struct {
	DM           float64 `json:"dm"`
	AvgClassSize float64 `json:"avg_class_size"`
	Precision    float64 `json:"precision"`
	Loss         float64 `json:"loss"`
	Entropy      float64 `json:"entropy"`
}

// value returns the figure named by metric.
func (m Metrics) value(metric string) float64 {
	switch metric {
	case MetricAvgClassSize:
		return m.AvgClassSize
	case MetricPrecision:
		return m.Precision
	case MetricLoss:
		return m.Loss
	case MetricEntropy:
		return m.Entropy
	}
	return m.DM
}

// outcome is what a recoding did to the counted tuples.
type outcome struct {
	levels     []int16 // per tuple and quasi-identifier
	suppressed []bool  // per tuple
}

// summary describes the classes of an outcome.
type summary struct {
	metrics    Metrics
	classes    int
	smallest   int64
	suppressed int64
}

// summarize groups the tuples of o by their output values and computes the
// metrics with plain per-record sums (the search uses faster per-node
// formulas that give the same figures for full-domain generalization).
func (dm *domain) summarize(o outcome) summary {
	var s summary
	n := float64(dm.n)
	classes := map[string]int64{}
	var key strings.Builder
	for t, c := range dm.counts {
		if o.suppressed[t] {
			s.suppressed += c
			continue
		}
		key.Reset()
		for q := 0; q < dm.d; q++ {
			key.WriteString(dm.label(q, int(o.levels[t*dm.d+q]), t))
			key.WriteByte(0)
		}
		classes[key.String()] += c
	}

	var dmSum float64
	s.smallest = 0
	for _, c := range classes {
		dmSum += float64(c) * float64(c)
		if s.smallest == 0 || c < s.smallest {
			s.smallest = c
		}
	}
	s.classes = len(classes)
	supp := float64(s.suppressed)
	s.metrics.DM = dmSum + supp*n
	groups := float64(len(classes))
	if s.suppressed > 0 {
		groups++
	}
	if groups > 0 {
		s.metrics.AvgClassSize = n / groups
	}
	if dm.n == 0 {
		return s
	}

	loss := 1.0
	for q := 0; q < dm.d; q++ {
		var prec, lm float64
		for t, c := range dm.counts {
			if o.suppressed[t] {
				continue
			}
			l := int(o.levels[t*dm.d+q])
			if dm.heights[q] > 0 {
				prec += float64(c) * float64(l) / float64(dm.heights[q])
			}
			lm += float64(c) * dm.share[q][l][dm.gen[q][l][dm.codes[t*dm.width+q]]]
		}
		s.metrics.Precision += (prec + supp) / n
		loss *= math.Pow(normalizeLoss(lm+supp, n, dm.leaves[q])+1, 1/float64(dm.d))
		s.metrics.Entropy += dm.entropy(q, o)
	}
	s.metrics.Precision /= float64(dm.d)
	s.metrics.Loss = loss - 1
	return s
}

// label returns the text of tuple t's value of column q at level l.
func (dm *domain) label(q, l, t int) string {
	return dm.labels[q][l][dm.gen[q][l][dm.codes[t*dm.width+q]]]
}

// entropy returns the non-uniform entropy of column q under o. Sums run in
// tuple order, so that the figure does not depend on map order.
func (dm *domain) entropy(q int, o outcome) float64 {
	type pair struct {
		code  int32
		label string
	}
	jointAt, marginalAt, suppAt := map[pair]int{}, map[string]int{}, map[string]int{}
	var joint, marginal, suppressed []int64
	var jointLabel []int
	var supp int64
	for t, c := range dm.counts {
		label := dm.label(q, int(o.levels[t*dm.d+q]), t)
		m, ok := marginalAt[label]
		if !ok {
			m = len(marginal)
			marginalAt[label] = m
			marginal = append(marginal, 0)
		}
		marginal[m] += c
		p := pair{dm.codes[t*dm.width+q], label}
		j, ok := jointAt[p]
		if !ok {
			j = len(joint)
			jointAt[p] = j
			joint = append(joint, 0)
			jointLabel = append(jointLabel, m)
		}
		joint[j] += c
		if o.suppressed[t] {
			s, ok := suppAt[label]
			if !ok {
				s = len(suppressed)
				suppAt[label] = s
				suppressed = append(suppressed, 0)
			}
			suppressed[s] += c
			supp += c
		}
	}

	var e float64
	for j, c := range joint {
		e -= float64(c) * math.Log2(float64(c)/float64(marginal[jointLabel[j]]))
	}
	for _, c := range suppressed {
		e -= float64(c) * math.Log2(float64(c)/float64(supp))
	}
	return e
}

// normalizeLoss maps a column's loss sum x to [0, 1] as ARX does.
func normalizeLoss(x, n float64, leaves int) float64 {
	lo := n / float64(leaves)
	if n-lo <= 0 {
		return 0
	}
	return max((x-lo)/(n-lo), 0)
}

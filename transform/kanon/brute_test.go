package kanon

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bruteHierarchy is a hierarchy file parsed with plain string functions,
// independently of package hierarchy.
type bruteHierarchy struct {
	height int
	up     map[string][]string // value -> labels at levels 0..height
	under  []map[string]int    // level -> label -> leaves under it
	leaves int
}

func loadBruteHierarchy(t testing.TB, column string) bruteHierarchy {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(adultDir, "adult_hierarchy_"+column+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	h := bruteHierarchy{up: map[string][]string{}}
	for _, line := range strings.Split(strings.TrimRight(string(data), "\r\n"), "\n") {
		fields := strings.Split(strings.TrimRight(line, "\r"), ";")
		h.height = len(fields) - 1
		h.up[fields[0]] = fields
		for len(h.under) < len(fields) {
			h.under = append(h.under, map[string]int{})
		}
		for l, f := range fields {
			h.under[l][f]++
		}
		h.leaves++
	}
	return h
}

// bruteBest is the optimum of one (k, limit, metric).
type bruteBest struct {
	value float64
	found bool
}

type bruteKey struct {
	k      int
	limit  float64
	metric string
}

// bruteForce evaluates every node of the lattice from the raw rows with
// straightforward code and returns the optimum of every metric for every k
// and limit.
func bruteForce(t testing.TB, tab table, qis []string, ks []int,
	limits []float64) map[bruteKey]bruteBest {
	t.Helper()
	d := len(qis)
	col := make([]int, d)
	hs := make([]bruteHierarchy, d)
	for q, name := range qis {
		col[q] = -1
		for j, h := range tab.header {
			if h == name {
				col[q] = j
			}
		}
		hs[q] = loadBruteHierarchy(t, name)
	}

	// Distinct raw tuples with their counts.
	type tuple struct {
		values []string
		count  int64
	}
	index := map[string]int{}
	var tuples []tuple
	for _, row := range tab.rows {
		vals := make([]string, d)
		for q := range qis {
			vals[q] = row[col[q]]
		}
		key := strings.Join(vals, "\x00")
		if i, ok := index[key]; ok {
			tuples[i].count++
			continue
		}
		index[key] = len(tuples)
		tuples = append(tuples, tuple{vals, 1})
	}
	n := float64(len(tab.rows))

	// Label ids per column and level, to make integer keys.
	ids := make([][]map[string]uint64, d)
	for q := range qis {
		ids[q] = make([]map[string]uint64, hs[q].height+1)
		for l := range ids[q] {
			ids[q][l] = map[string]uint64{}
			for _, labels := range hs[q].up {
				if _, ok := ids[q][l][labels[l]]; !ok {
					ids[q][l][labels[l]] = uint64(len(ids[q][l]))
				}
			}
		}
	}
	// The label and its id of every tuple, column and level.
	tupleIDs := make([][][]uint64, len(tuples))
	for i, tp := range tuples {
		tupleIDs[i] = make([][]uint64, d)
		for q := range qis {
			labels := hs[q].up[tp.values[q]]
			tupleIDs[i][q] = make([]uint64, len(labels))
			for l, lab := range labels {
				tupleIDs[i][q][l] = ids[q][l][lab]
			}
		}
	}

	// Share of the leaves under each label id.
	shareOf := make([][][]float64, d)
	for q := range qis {
		shareOf[q] = make([][]float64, len(ids[q]))
		for l := range ids[q] {
			shareOf[q][l] = make([]float64, len(ids[q][l]))
			for lab, id := range ids[q][l] {
				shareOf[q][l][id] = float64(hs[q].under[l][lab]) / float64(hs[q].leaves)
			}
		}
	}

	// Leaf counts per column (for entropy).
	leafCount := make([]map[string]int64, d)
	for q := range qis {
		leafCount[q] = map[string]int64{}
		for _, tp := range tuples {
			leafCount[q][tp.values[q]] += tp.count
		}
	}

	best := map[bruteKey]bruteBest{}
	levels := make([]int, d)
	for {
		// Classes of this node.
		type class struct {
			rep  int
			size int64
		}
		at := make(map[uint64]int, 1024)
		var classes []class
		for i, tp := range tuples {
			var key uint64
			for q := 0; q < d; q++ {
				key = key*uint64(len(ids[q][0])) + tupleIDs[i][q][levels[q]]
			}
			if c, ok := at[key]; ok {
				classes[c].size += tp.count
				continue
			}
			at[key] = len(classes)
			classes = append(classes, class{rep: i, size: tp.count})
		}
		label := func(q int, c *class) uint64 { return tupleIDs[c.rep][q][levels[q]] }

		// Entropy without suppression, per column.
		var entropyGen float64
		for q := 0; q < d; q++ {
			b := map[string]int64{}
			for v, a := range leafCount[q] {
				b[hs[q].up[v][levels[q]]] += a
			}
			for v, a := range leafCount[q] {
				entropyGen -= float64(a) * math.Log2(float64(a)/float64(b[hs[q].up[v][levels[q]]]))
			}
		}

		for _, k := range ks {
			var supp int64
			var kept int
			var dm float64
			for _, c := range classes {
				if c.size < int64(k) {
					supp += c.size
				} else {
					kept++
					dm += float64(c.size) * float64(c.size)
				}
			}
			s := float64(supp)
			values := map[string]float64{MetricDM: dm + s*n}
			groups := float64(kept)
			if supp > 0 {
				groups++
			}
			values[MetricAvgClassSize] = n / groups

			var prec float64
			loss := 1.0
			entropy := entropyGen
			for q := 0; q < d; q++ {
				prec += ((n-s)*float64(levels[q])/float64(hs[q].height) + s) / n
				var sum float64
				suppLabels := map[uint64]int64{}
				for i := range classes {
					c := &classes[i]
					if c.size < int64(k) {
						sum += float64(c.size)
						suppLabels[label(q, c)] += c.size
						continue
					}
					sum += float64(c.size) * shareOf[q][levels[q]][label(q, c)]
				}
				lo := n / float64(hs[q].leaves)
				v := math.Max((sum-lo)/(n-lo), 0)
				loss *= math.Pow(v+1, 1/float64(d))
				for _, c := range suppLabels {
					entropy -= float64(c) * math.Log2(float64(c)/s)
				}
			}
			values[MetricPrecision] = prec / float64(d)
			values[MetricLoss] = loss - 1
			values[MetricEntropy] = entropy

			for _, limit := range limits {
				if supp > int64(math.Floor(limit*n+1e-9)) {
					continue
				}
				for metric, v := range values {
					key := bruteKey{k, limit, metric}
					if b := best[key]; !b.found || v < b.value {
						best[key] = bruteBest{v, true}
					}
				}
			}
		}

		// Next node.
		q := 0
		for q < d && levels[q] == hs[q].height {
			levels[q] = 0
			q++
		}
		if q == d {
			break
		}
		levels[q]++
	}
	return best
}

// TestGlobalMatchesBruteForce compares the search's optimum with a brute-force
// search over every node, for k in {2, 5, 10}, limits {0, 2%, 5%} and every
// metric. The 9-quasi-identifier set runs when ANON_KANON_FULL is set.
func TestGlobalMatchesBruteForce(t *testing.T) {
	tab := loadAdult(t)
	ks := []int{2, 5, 10}
	limits := []float64{0, 0.02, 0.05}
	metrics := []string{MetricDM, MetricAvgClassSize, MetricPrecision, MetricLoss, MetricEntropy}
	sets := []struct {
		name string
		qis  []string
	}{{"8 QIs", adultQI8}}
	if os.Getenv("ANON_KANON_FULL") != "" {
		sets = append(sets, struct {
			name string
			qis  []string
		}{"9 QIs", adultQI9})
	} else if testing.Short() {
		ks, limits = []int{5}, []float64{0.02}
	}

	for _, set := range sets {
		want := bruteForce(t, tab, set.qis, ks, limits)
		for _, k := range ks {
			for _, limit := range limits {
				for _, metric := range metrics {
					name := fmt.Sprintf("%s/k%d/limit%v/%s", set.name, k, limit, metric)
					t.Run(name, func(t *testing.T) {
						cfg := adultConfig(t, set.qis, k, limit, metric, MethodGlobal)
						res, err := Prepare(context.Background(), cfg,
							&sliceSource{batches: tab.batches(0)})
						if err != nil {
							t.Fatal(err)
						}
						rep := res.Report()
						w := want[bruteKey{k, limit, metric}]
						got := rep.Metrics.value(metric)
						if !w.found || math.Abs(got-w.value) > 1e-9*math.Max(1, math.Abs(w.value)) {
							t.Errorf("optimum %v, brute force %v (found %v)", got, w.value, w.found)
						}
						if rep.Suppressed > rep.SuppressionLimit || rep.AchievedK < int64(k) {
							t.Errorf("suppressed %d of %d allowed, achieved k %d",
								rep.Suppressed, rep.SuppressionLimit, rep.AchievedK)
						}
					})
				}
			}
		}
	}
}

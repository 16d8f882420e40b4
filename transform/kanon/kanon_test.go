package kanon

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// adultGens returns the allowed generalizations of every Adult column.
func adultGens(t testing.TB, qis []string) map[string]map[string]map[string]bool {
	t.Helper()
	g := map[string]map[string]map[string]bool{}
	for _, q := range qis {
		data, err := os.ReadFile(filepath.Join(adultDir, "adult_hierarchy_"+q+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		g[q] = fileGens(string(data))
	}
	return g
}

// TestAdultChecked runs both methods on Adult and checks the output.
func TestAdultChecked(t *testing.T) {
	tab := loadAdult(t)
	tests := []struct {
		name       string
		method     string
		k          int
		limit      float64
		suppressed string
		l          int
		maxDM      float64
	}{
		{name: "global k5 2% remove", method: MethodGlobal, k: 5, limit: 0.02, maxDM: 9268952},
		{name: "global k5 2% star", method: MethodGlobal, k: 5, limit: 0.02,
			suppressed: SuppressStar},
		{name: "global k10 5% l3", method: MethodGlobal, k: 10, limit: 0.05, l: 3},
		{name: "local k5", method: MethodLocal, k: 5, maxDM: 5517035 - 1, suppressed: SuppressStar},
		{name: "local k2", method: MethodLocal, k: 2},
		{name: "local k5 l3", method: MethodLocal, k: 5, l: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := adultConfig(t, adultQI8, tt.k, tt.limit, MetricDM, tt.method)
			cfg.Suppressed = tt.suppressed
			if tt.l > 0 {
				cfg.LDiversity = &LDiversity{Column: "occupation", L: tt.l}
			}
			res, out := run(t, cfg, tab, 1000)
			rep := res.Report()
			t.Logf("%s: DM %.0f, classes %d, suppressed %d, achieved k %d",
				tt.name, rep.Metrics.DM, rep.Classes, rep.Suppressed, rep.AchievedK)
			checkOutput(t, cfg, res, tab, out, adultGens(t, adultQI8))
			if tt.maxDM > 0 && rep.Metrics.DM > tt.maxDM {
				t.Errorf("DM %.0f, want at most %.0f", rep.Metrics.DM, tt.maxDM)
			}
		})
	}
}

// TestStreamingBatchSize checks that the result does not depend on the batch
// size.
func TestStreamingBatchSize(t *testing.T) {
	tab := loadAdult(t)
	for _, method := range []string{MethodGlobal, MethodLocal} {
		t.Run(method, func(t *testing.T) {
			var first Report
			var firstRows [][]string
			for _, size := range []int{1, 100, 0} {
				cfg := adultConfig(t, adultQI8, 5, 0.02, MetricDM, method)
				res, out := run(t, cfg, tab, size)
				_, rows := outputRows(t, out)
				if size == 1 {
					first, firstRows = res.Report(), rows
					continue
				}
				if !reflect.DeepEqual(res.Report(), first) {
					t.Errorf("batch size %d: report %+v, want %+v", size, res.Report(), first)
				}
				if !reflect.DeepEqual(rows, firstRows) {
					t.Errorf("batch size %d: the output differs", size)
				}
			}
		})
	}
}

// TestCounterMerge checks that counts of two halves merge into the whole.
func TestCounterMerge(t *testing.T) {
	tab := loadAdult(t)
	cols := []string{"age", "sex", "occupation"}
	whole, a, b := NewCounter(cols), NewCounter(cols), NewCounter(cols)
	half := len(tab.rows) / 2
	for _, batch := range tab.batches(0) {
		if err := whole.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	for _, batch := range (table{tab.header, tab.rows[:half]}).batches(0) {
		if err := a.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	for _, batch := range (table{tab.header, tab.rows[half:]}).batches(0) {
		if err := b.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	if a.Rows() != whole.Rows() || a.Tuples() != whole.Tuples() {
		t.Fatalf("merged %d rows, %d tuples; whole %d, %d",
			a.Rows(), a.Tuples(), whole.Rows(), whole.Tuples())
	}
	byTuple := func(c *Counter) map[string]int64 {
		m := map[string]int64{}
		for i, n := range c.counts {
			key := ""
			for j := range cols {
				key += c.values[j][c.codes[i*len(cols)+j]] + "\x00"
			}
			m[key] = n
		}
		return m
	}
	if !reflect.DeepEqual(byTuple(a), byTuple(whole)) {
		t.Error("merged counts differ from the whole")
	}
	if err := a.Merge(NewCounter([]string{"age"})); err == nil {
		t.Error("merging counters of other columns did not fail")
	}
}

// TestFieldReportB23 is field report B23: with exactly two rare categories,
// merging them into "Other" still leaves a class below k.
func TestFieldReportB23(t *testing.T) {
	region := []string{"L", "R", "L", "B", "B", "B", "L", "R", "R", "R", "F", "I"}
	tab := table{header: []string{"region"}}
	for _, r := range region {
		tab.rows = append(tab.rows, []string{r})
	}
	other := "L;L;*\nR;R;*\nB;B;*\nF;Other;*\nI;Other;*\n"
	tests := []struct {
		name       string
		qi         QuasiIdentifier
		method     string
		limit      float64
		suppressed string
	}{
		{name: "other hierarchy global", qi: QuasiIdentifier{Hierarchy: "other.csv"},
			method: MethodGlobal},
		{name: "other hierarchy global 20%", qi: QuasiIdentifier{Hierarchy: "other.csv"},
			method: MethodGlobal, limit: 0.2},
		{name: "other hierarchy global 20% star", qi: QuasiIdentifier{Hierarchy: "other.csv"},
			method: MethodGlobal, limit: 0.2, suppressed: SuppressStar},
		{name: "other hierarchy local", qi: QuasiIdentifier{Hierarchy: "other.csv"},
			method: MethodLocal},
		{name: "mask suffix global", qi: QuasiIdentifier{MaskSuffix: true}, method: MethodGlobal},
		{name: "mask suffix local", qi: QuasiIdentifier{MaskSuffix: true}, method: MethodLocal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qi := tt.qi
			cfg := &Config{K: 3, SuppressionLimit: tt.limit, Method: tt.method,
				Suppressed:       tt.suppressed,
				QuasiIdentifiers: map[string]*QuasiIdentifier{"region": &qi}}
			read := func(string) ([]byte, error) { return []byte(other), nil }
			if err := cfg.Load(read); err != nil {
				t.Fatal(err)
			}
			res, out := run(t, cfg, tab, 5)
			checkOutput(t, cfg, res, tab, out, nil)

			// Count the classes of the output directly, as the report asks.
			_, rows := outputRows(t, out)
			classes := map[string]int{}
			for _, r := range rows {
				classes[r[0]]++
			}
			for v, n := range classes {
				if n < 3 && !(v == "*" && tt.suppressed == SuppressStar) {
					t.Errorf("an output class has %d rows", n)
				}
			}
		})
	}
}

// randomTable builds a table with an integer, a zip, a date, a category and
// a sensitive column.
func randomTable(r *rand.Rand, n int) table {
	tab := table{header: []string{"age", "zip", "birth", "cat", "diag"}}
	zips := r.IntN(8) + 1
	for i := 0; i < n; i++ {
		tab.rows = append(tab.rows, []string{
			strconv.Itoa(r.IntN(90)),
			fmt.Sprintf("%05d", 2100+r.IntN(zips)*7),
			fmt.Sprintf("%04d-%02d-%02d", 1880+r.IntN(140), 1+r.IntN(12), 1+r.IntN(28)),
			[]string{"a", "b", "c", "d", "e"}[r.IntN(5)],
			[]string{"x", "y", "z"}[r.IntN(3)],
		})
	}
	return tab
}

const catHierarchy = "a;ab;*\nb;ab;*\nc;cde;*\nd;cde;*\ne;cde;*\n"

// TestRandomTables is a property test: on random tables, small ones
// included, every output class has at least k records, for both methods and
// both treatments of suppressed records.
func TestRandomTables(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 15
	}
	for seed := 0; seed < seeds; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 3))
		n := []int{1, 2, 3, 7, 20, 100, 400}[r.IntN(7)]
		tab := randomTable(r, n)
		cfg := &Config{
			K:                1 + r.IntN(6),
			SuppressionLimit: []float64{0, 0.05, 0.3}[r.IntN(3)],
			Metric: []string{MetricDM, MetricAvgClassSize, MetricPrecision, MetricLoss,
				MetricEntropy}[r.IntN(5)],
			Method:     []string{MethodGlobal, MethodLocal}[r.IntN(2)],
			Suppressed: []string{SuppressRemove, SuppressStar}[r.IntN(2)],
			QuasiIdentifiers: map[string]*QuasiIdentifier{
				"age":   {Intervals: []float64{5, 10, 20}},
				"zip":   {MaskSuffix: true},
				"birth": {Dates: true},
				"cat":   {Hierarchy: "cat.csv"},
			},
		}
		if r.IntN(3) == 0 {
			cfg.LDiversity = &LDiversity{Column: "diag", L: 1 + r.IntN(3)}
		}
		name := fmt.Sprintf("seed%d/n%d/k%d/%s/%s/%s",
			seed, n, cfg.K, cfg.Method, cfg.Metric, cfg.Suppressed)
		t.Run(name, func(t *testing.T) {
			read := func(string) ([]byte, error) { return []byte(catHierarchy), nil }
			if err := cfg.Load(read); err != nil {
				t.Fatal(err)
			}
			res, err := Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(7)})
			if errors.Is(err, ErrNotReachable) {
				distinct := map[string]bool{}
				for _, row := range tab.rows {
					distinct[row[4]] = true
				}
				l := 0
				if cfg.LDiversity != nil {
					l = cfg.LDiversity.L
				}
				if n >= cfg.K && len(distinct) >= l {
					t.Fatal("not reachable, though the whole table is k-anonymous")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, out := run(t, cfg, tab, 7)
			gens := map[string]map[string]map[string]bool{"cat": fileGens(catHierarchy)}
			checkOutput(t, cfg, res, tab, out, gens)
		})
	}
}

package kanon

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// outputRows reads output batches back as rows of text, by column name.
func outputRows(t testing.TB, out []arrow.RecordBatch) (header []string, rows [][]string) {
	t.Helper()
	for _, b := range out {
		if header == nil {
			for _, f := range b.Schema().Fields() {
				header = append(header, f.Name)
			}
		}
		for i := 0; i < int(b.NumRows()); i++ {
			row := make([]string, b.NumCols())
			for j := range row {
				col := b.Column(j)
				if s, ok := col.(*array.String); ok {
					row[j] = s.Value(i)
				} else {
					row[j] = col.ValueStr(i)
				}
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// checkOutput is the independent checker: it reads the stage's output and
// confirms that every class of output quasi-identifier tuples has at least k
// records (and l distinct sensitive values), that suppressed rows were
// removed or starred as configured, and that suppression stays within the
// limit. With suppressed: star, the starred rows (every quasi-identifier
// "*") are the suppressed records; they match every record of the input and
// are not held to k. With the input rows aligned (star mode), each output
// value must be one of the generalizations of the input value, as given by
// gens (column -> value -> allowed outputs), when gens has the column.
func checkOutput(t testing.TB, cfg *Config, res *Result, in table, out []arrow.RecordBatch,
	gens map[string]map[string]map[string]bool) {
	t.Helper()
	header, rows := outputRows(t, out)
	rep := res.Report()
	qis := cfg.Columns()
	pos := map[string]int{}
	for j, h := range header {
		pos[h] = j
	}

	n := int64(len(in.rows))
	_, _, suppressed := cfg.withDefaults()
	switch suppressed {
	case SuppressRemove:
		if int64(len(rows)) != n-rep.Suppressed {
			t.Errorf("%d output rows, want %d - %d suppressed", len(rows), n, rep.Suppressed)
		}
	case SuppressStar:
		if int64(len(rows)) != n {
			t.Errorf("%d output rows, want %d", len(rows), n)
		}
	}
	limit := int64(cfg.SuppressionLimit*float64(n) + 1e-9)
	if rep.Suppressed > limit && !(rep.Suppressed == n && n < int64(cfg.K)) {
		t.Errorf("%d suppressed, limit %d", rep.Suppressed, limit)
	}

	classes := map[string]int64{}
	sensitive := map[string]map[string]bool{}
	var starred int64
	for _, row := range rows {
		vals := make([]string, len(qis))
		allStar := true
		for q, name := range qis {
			vals[q] = row[pos[name]]
			allStar = allStar && vals[q] == "*"
		}
		key := strings.Join(vals, "\x00")
		if allStar && suppressed == SuppressStar {
			starred++
		}
		classes[key]++
		if cfg.LDiversity != nil {
			if sensitive[key] == nil {
				sensitive[key] = map[string]bool{}
			}
			sensitive[key][row[pos[cfg.LDiversity.Column]]] = true
		}
	}
	allStarKey := strings.Repeat("*\x00", len(qis))
	allStarKey = allStarKey[:len(allStarKey)-1]
	for key, size := range classes {
		if key == allStarKey && suppressed == SuppressStar && rep.Suppressed > 0 {
			continue // the suppressed records, and any fully generalized ones
		}
		if size < int64(cfg.K) {
			t.Errorf("an output class has %d records, k = %d", size, cfg.K)
		}
		if cfg.LDiversity != nil && len(sensitive[key]) < cfg.LDiversity.L {
			t.Errorf("an output class has %d distinct sensitive values, l = %d",
				len(sensitive[key]), cfg.LDiversity.L)
		}
	}
	if suppressed == SuppressStar && starred < rep.Suppressed {
		t.Errorf("%d starred rows, %d suppressed", starred, rep.Suppressed)
	}

	// Truthfulness, where rows align.
	if suppressed != SuppressStar || gens == nil {
		return
	}
	inPos := map[string]int{}
	for j, h := range in.header {
		inPos[h] = j
	}
	for i, row := range rows {
		for _, name := range qis {
			allowed, ok := gens[name]
			if !ok {
				continue
			}
			v, o := in.rows[i][inPos[name]], row[pos[name]]
			if o != "*" && !allowed[v][o] {
				t.Fatalf("row %d, column %s: output is not a generalization of the input",
					i+1, name)
			}
		}
	}
}

// fileGens returns, for a hierarchy in ARX text form, value -> every label.
func fileGens(text string) map[string]map[string]bool {
	g := map[string]map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Split(line, ";")
		g[f[0]] = map[string]bool{}
		for _, l := range f {
			g[f[0]][l] = true
		}
	}
	return g
}

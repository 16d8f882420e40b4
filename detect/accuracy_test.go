package detect_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/anon-data/anon/detect"
	"github.com/anon-data/anon/formats"
)

var update = flag.Bool("update", false, "rewrite ACCURACY.md")

// labelled is one column of the labelled set, with its expected kind.
type labelled struct {
	source, column string
	want           detect.Kind
	got            detect.ColumnReport
}

// kyloLabels are the expected kinds of the Kylo userdata columns.
var kyloLabels = map[string]detect.Kind{
	"registration_dttm": detect.None, "id": detect.None, "first_name": detect.PersonName,
	"last_name": detect.PersonName, "email": detect.Email, "gender": detect.None,
	"ip_address": detect.IPv4, "cc": detect.CreditCard, "country": detect.None,
	"birthdate": detect.DateOfBirth, "salary": detect.None, "title": detect.None,
	"comments": detect.None,
}

// profileFile profiles a whole file read with the anon readers.
func profileFile(t *testing.T, path string, opt formats.ReadOptions) []detect.ColumnReport {
	t.Helper()
	r, err := formats.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.Schema().Fields() {
		names = append(names, f.Name)
	}
	p := detect.NewProfiler(names)
	for r.Next() {
		p.Add(r.RecordBatch())
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return p.Reports()
}

func date(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }

// labelledSet profiles every labelled column.
func labelledSet(t *testing.T) []labelled {
	var set []labelled
	root := "../testdata"
	for _, src := range []struct {
		path string
		opt  formats.ReadOptions
	}{
		{"kylo-userdata/csv/userdata1.csv", formats.ReadOptions{Format: formats.CSV}},
		{"kylo-userdata/parquet/userdata2.parquet", formats.ReadOptions{Format: formats.Parquet}},
	} {
		for _, r := range profileFile(t, filepath.Join(root, src.path), src.opt) {
			set = append(set, labelled{src.path, r.Name, kyloLabels[r.Name], r})
		}
	}
	adult := formats.ReadOptions{Format: formats.CSV, CSV: formats.CSVOptions{Delimiter: ';'}}
	for _, r := range profileFile(t, filepath.Join(root, "adult/adult.csv"), adult) {
		set = append(set, labelled{"adult/adult.csv", r.Name, detect.None, r})
	}

	cols := generated()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	p := detect.NewProfiler(names)
	for i, c := range cols {
		f := gofakeit.New(uint64(1000 + i))
		r := rand.New(rand.NewPCG(uint64(i), 7))
		for row := 0; row < genRows; row++ {
			p.AddValue(i, c.gen(f, r, row), false)
		}
	}
	for i, r := range p.Reports() {
		set = append(set, labelled{"generated", r.Name, detect.Kind(cols[i].want), r})
	}
	return set
}

// TestAccuracy measures precision and recall per kind on the labelled set.
// It fails if a direct identifier column is missed, or if there is more
// than one false alarm per twenty columns.
func TestAccuracy(t *testing.T) {
	set := labelledSet(t)
	tp, fp, fn := map[detect.Kind]int{}, map[detect.Kind]int{}, map[detect.Kind]int{}
	falseAlarms := 0
	var errs []string
	for _, c := range set {
		got := c.got.Kind
		switch {
		case got == c.want:
			tp[got]++
			continue
		case got != detect.None:
			fp[got]++
			falseAlarms++
		}
		fn[c.want]++
		errs = append(errs, fmt.Sprintf("%s: %s: want %s, got %s (%s)",
			c.source, c.column, c.want, got, c.got.Reason))
		if c.want.Direct() && !got.Direct() {
			t.Errorf("direct identifier missed: %s column %q: want %s, got %s",
				c.source, c.column, c.want, got)
		}
	}
	if falseAlarms*20 > len(set) {
		t.Errorf("%d false alarms in %d columns: more than one in twenty", falseAlarms, len(set))
	}

	table := accuracyTable(set, tp, fp, fn, falseAlarms, errs)
	t.Log("\n" + table)
	if *update {
		if err := os.WriteFile("ACCURACY.md", []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func accuracyTable(set []labelled, tp, fp, fn map[detect.Kind]int, falseAlarms int,
	errs []string) string {
	var b strings.Builder
	b.WriteString("# Detection accuracy\n\nMeasured by `go test ./detect -run Accuracy " +
		"-update` on a labelled set of\n")
	fmt.Fprintf(&b, "%d columns: Kylo userdata (CSV and Parquet, Apache-2.0), the Adult "+
		"table, and\ncolumns generated with gofakeit (fixed seeds, %d rows each), "+
		"including negatives\n(numeric IDs, order numbers, prices, timestamps, free text "+
		"without PII...).\n\nCaveat: the detector was tuned while this set was built, so these "+
		"figures are\noptimistic; real tables with other formats, languages and column "+
		"names will do worse.\n\n", len(set), genRows)
	b.WriteString("| kind | columns | true pos. | false pos. | false neg. | precision | recall |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	count := map[detect.Kind]int{}
	for _, c := range set {
		count[c.want]++
	}
	for _, k := range append(append([]detect.Kind(nil), detect.Kinds...), detect.None) {
		if count[k] == 0 && fp[k] == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s | %s |\n", k, count[k], tp[k], fp[k],
			fn[k], ratio(tp[k], tp[k]+fp[k]), ratio(tp[k], tp[k]+fn[k]))
	}
	fmt.Fprintf(&b, "\nFalse alarms (a PII kind on a column of another kind): %d of %d "+
		"columns.\n", falseAlarms, len(set))
	if len(errs) > 0 {
		b.WriteString("\nMisclassified columns:\n\n")
		for _, e := range errs {
			b.WriteString("- " + e + "\n")
		}
	}
	return b.String()
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

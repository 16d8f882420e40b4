package kanon

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/anon-data/anon/transform"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const adultDir = "../../testdata/adult"

// adultQI8 are the usual quasi-identifiers of the Adult benchmark; occupation
// is the sensitive attribute.
var adultQI8 = []string{
	"age", "education", "marital-status", "native-country", "race",
	"salary-class", "sex", "workclass",
}

var adultQI9 = append(append([]string(nil), adultQI8...), "occupation")

// table is a small in-memory table of text columns.
type table struct {
	header []string
	rows   [][]string
}

var (
	adultOnce  sync.Once
	adultTable table
	adultErr   error
)

// loadAdult reads adult.csv (';'-separated, CRLF) with encoding/csv.
func loadAdult(t testing.TB) table {
	t.Helper()
	adultOnce.Do(func() {
		f, err := os.Open(filepath.Join(adultDir, "adult.csv"))
		if err != nil {
			adultErr = err
			return
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			adultErr = err
			return
		}
		adultTable = table{header: recs[0], rows: recs[1:]}
	})
	if adultErr != nil {
		t.Fatal(adultErr)
	}
	return adultTable
}

// batches builds utf8 record batches of at most size rows from tab.
func (tab table) batches(size int) []arrow.RecordBatch {
	fields := make([]arrow.Field, len(tab.header))
	for i, h := range tab.header {
		fields[i] = arrow.Field{Name: h, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	if size <= 0 {
		size = max(len(tab.rows), 1)
	}
	var out []arrow.RecordBatch
	for start := 0; start < len(tab.rows) || (start == 0 && len(out) == 0); start += size {
		end := min(start+size, len(tab.rows))
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for _, row := range tab.rows[start:end] {
			for j, v := range row {
				b.Field(j).(*array.StringBuilder).Append(v)
			}
		}
		out = append(out, b.NewRecordBatch())
		b.Release()
		if end == len(tab.rows) {
			break
		}
	}
	return out
}

// sliceSource is a transform.Source over batches.
type sliceSource struct {
	batches []arrow.RecordBatch
	i       int
}

func (s *sliceSource) Next() bool {
	s.i++
	return s.i <= len(s.batches)
}

func (s *sliceSource) RecordBatch() arrow.RecordBatch { return s.batches[s.i-1] }

func (s *sliceSource) Err() error { return nil }

var _ transform.Source = (*sliceSource)(nil)

// readFile reads hierarchy files relative to the Adult folder.
func readFile(path string) ([]byte, error) {
	return os.ReadFile(filepath.Join(adultDir, path))
}

// adultConfig returns a loaded config over the Adult hierarchy files.
func adultConfig(t testing.TB, qis []string, k int, limit float64, metric, method string) *Config {
	t.Helper()
	cfg := &Config{
		K: k, SuppressionLimit: limit, Metric: metric, Method: method,
		QuasiIdentifiers: map[string]*QuasiIdentifier{},
	}
	for _, q := range qis {
		cfg.QuasiIdentifiers[q] = &QuasiIdentifier{Hierarchy: "adult_hierarchy_" + q + ".csv"}
	}
	if err := cfg.Load(readFile); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// run prepares cfg over tab in batches of size and applies the stage to
// every batch, returning the result and the output batches.
func run(t testing.TB, cfg *Config, tab table, size int) (*Result, []arrow.RecordBatch) {
	t.Helper()
	res, err := Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(size)})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stage()
	var out []arrow.RecordBatch
	var offset int64
	for _, b := range tab.batches(size) {
		o, err := st.ApplyBatch(nil, b, offset)
		if err != nil {
			t.Fatal(err)
		}
		offset += b.NumRows()
		out = append(out, o)
	}
	return res, out
}

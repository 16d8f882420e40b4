package formats

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const parquetTesting = "../testdata/parquet-testing"

// readParquetTable reads the whole file at path into a table.
func readParquetTable(t *testing.T, path string, batch int) (arrow.Table, error) {
	t.Helper()
	rd, err := Open(path, ReadOptions{Format: Parquet, BatchSize: batch})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for rd.Next() {
		rec := rd.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	return array.NewTableFromRecords(rd.Schema(), recs), nil
}

// writeParquetTable writes tbl to a Parquet file in dir and returns its path.
func writeParquetTable(t *testing.T, tbl arrow.Table, opt ParquetOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, tbl.Schema(), WriteOptions{Format: Parquet, Name: path, Parquet: opt})
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	tr := array.NewTableReader(tbl, 1000)
	defer tr.Release()
	for tr.Next() {
		if err := w.Write(tr.RecordBatch()); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close writer: %v", err)
	}
	// The writer must not have closed the file: it is still usable.
	if _, err := f.Stat(); err != nil {
		t.Fatalf("writer closed the sink: %v", err)
	}
	return path
}

// schemaTypesEqual compares names, nullability and exact types (units and
// time zones included), ignoring field metadata.
func schemaTypesEqual(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.NumFields() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || fa.Nullable != fb.Nullable || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}

// tableValuesEqual compares the columns of two tables value by value. NaN
// equals NaN (several files hold NaNs); any other difference counts. Field
// names inside list types are ignored: a Parquet list read as list<item>
// comes back as list<element>.
func tableValuesEqual(a, b arrow.Table) bool {
	if a.NumCols() != b.NumCols() || a.NumRows() != b.NumRows() {
		return false
	}
	if a.NumRows() == 0 {
		return true
	}
	for i := range int(a.NumCols()) {
		ca, err := array.Concatenate(a.Column(i).Data().Chunks(), memory.DefaultAllocator)
		if err != nil {
			return false
		}
		cb, err := array.Concatenate(b.Column(i).Data().Chunks(), memory.DefaultAllocator)
		if err != nil {
			return false
		}
		eq := array.ApproxEqual(ca, cb, array.WithNaNsEqual(true), array.WithAbsTolerance(0))
		ca.Release()
		cb.Release()
		if !eq {
			return false
		}
	}
	return true
}

// parquetUnreadable lists the files in parquet-testing that arrow-go v18.9.0
// cannot read, with the reason. The round-trip test fails if a file not
// listed here fails, or if a listed file starts to read.
var parquetUnreadable = map[string]string{
	"data/hadoop_lz4_compressed.parquet": "deprecated LZ4 (Hadoop framing) codec: " +
		"arrow-go has LZ4_RAW only",
	"data/hadoop_lz4_compressed_larger.parquet": "deprecated LZ4 (Hadoop framing) codec",
	"data/non_hadoop_lz4_compressed.parquet":    "deprecated LZ4 (raw framing) codec",
	"data/datapage_v2_empty_datapage.snappy.parquet": "arrow-go hands the empty V2 page " +
		"body to the Snappy decoder (s2: corrupt input)",
	"data/incorrect_map_schema.parquet": "Presto MAP without required keys: " +
		"arrow-go refuses it (MAP keys must be required)",
}

// parquetFiles lists the valid Parquet files of parquet-testing.
func parquetFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"data/*.parquet", "data/geospatial/*.parquet",
		"shredded_variant/case-00[1-9].parquet", "shredded_variant/case-01[0-9].parquet",
		"shredded_variant/case-045.parquet"} {
		m, err := filepath.Glob(filepath.Join(parquetTesting, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("found only %d Parquet test files; is testdata there?", len(files))
	}
	slices.Sort(files)
	return files
}

func TestParquetRoundTrip(t *testing.T) {
	for _, path := range parquetFiles(t) {
		rel, _ := filepath.Rel(parquetTesting, path)
		t.Run(rel, func(t *testing.T) {
			tbl, err := readParquetTable(t, path, 100)
			reason, unreadable := parquetUnreadable[rel]
			if unreadable {
				if err == nil {
					tbl.Release()
					t.Fatalf("listed as unreadable (%s) but reads now; update the list", reason)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error does not name the file: %v", err)
				}
				t.Logf("expected failure: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			defer tbl.Release()

			out := writeParquetTable(t, tbl, ParquetOptions{RowGroupRows: 777})
			back, err := readParquetTable(t, out, 64)
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			defer back.Release()
			if !schemaTypesEqual(tbl.Schema(), back.Schema()) {
				t.Fatalf("schema changed:\n%v\nvs\n%v", tbl.Schema(), back.Schema())
			}
			if !tableValuesEqual(tbl, back) {
				t.Fatalf("values changed")
			}
			t.Logf("%d rows, schema %v", tbl.NumRows(), tbl.Schema())
		})
	}
}

func TestParquetRejects(t *testing.T) {
	tests := []struct {
		name string
		path string
		want error  // matched with errors.Is, when set
		text string // contained in the message, when set
	}{
		{name: "bloom filter is not parquet", path: "data/bloom_filter.bin", want: ErrNotParquet},
		{name: "avro is not parquet", path: "../kylo-userdata/not-our-format/userdata1.avro",
			want: ErrNotParquet},
		{name: "corrupt thrift schema", path: "bad_data/PARQUET-1481.parquet"},
		{name: "negative dictionary count", path: "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet"},
		{name: "columns of unequal length", path: "bad_data/ARROW-GH-41317.parquet"},
		{name: "nulls in a required column", path: "bad_data/ARROW-GH-47662.parquet"},
		{name: "variant value and typed_value conflict", path: "shredded_variant/case-040.parquet",
			text: "invalid variant value"},
		{name: "variant non-object with shredded fields",
			path: "shredded_variant/case-087.parquet", text: "invalid variant value"},
		{name: "variant unsigned shredded type", path: "shredded_variant/case-127.parquet",
			text: "unsigned"},
	}
	enc, err := filepath.Glob(filepath.Join(parquetTesting, "data", "*.encrypted"))
	if err != nil {
		t.Fatal(err)
	}
	enc256, err := filepath.Glob(filepath.Join(parquetTesting, "data", "aes256", "*.encrypted"))
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != 6 || len(enc256) != 3 {
		t.Fatalf("found %d+%d encrypted files, want 6+3", len(enc), len(enc256))
	}
	for _, p := range append(enc, enc256...) {
		rel, _ := filepath.Rel(parquetTesting, p)
		tests = append(tests, struct {
			name, path string
			want       error
			text       string
		}{name: "encrypted " + rel, path: rel, want: ErrEncrypted,
			text: "file is encrypted; no key given"})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(parquetTesting, tt.path)
			tbl, err := readParquetTable(t, path, 100)
			if err == nil {
				tbl.Release()
				t.Fatal("read without error")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not contain %q", err, tt.text)
			}
		})
	}
}

// TestParquetTolerated covers files that upstream lets a reader either read
// or refuse; they must not panic.
func TestParquetTolerated(t *testing.T) {
	tests := []struct {
		name string
		path string
		rows int64 // when read
	}{
		// Dictionary indices with bit width 0: every index is 0.
		{name: "rle bit width 0", path: "bad_data/ARROW-GH-43605.parquet", rows: 21186},
		// Spec-invalid variant that a reader may read.
		{name: "invalid variant may read", path: "shredded_variant/case-043-INVALID.parquet",
			rows: 1},
		// Wrong page CRCs; arrow-go does not verify checksums by default.
		{name: "corrupt checksum", path: "data/rle-dict-uncompressed-corrupt-checksum.parquet",
			rows: 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readParquetTable(t, filepath.Join(parquetTesting, tt.path), 1000)
			if err != nil {
				t.Logf("refused: %v", err)
				return
			}
			defer tbl.Release()
			if tbl.NumRows() != tt.rows {
				t.Errorf("read %d rows, want %d", tbl.NumRows(), tt.rows)
			}
		})
	}
}

func TestParquetKylo(t *testing.T) {
	files, err := filepath.Glob("../testdata/kylo-userdata/parquet/userdata*.parquet")
	if err != nil || len(files) == 0 {
		t.Fatalf("no kylo files: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			tbl, err := readParquetTable(t, path, 300)
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if tbl.NumRows() != 1000 || tbl.NumCols() != 13 {
				t.Fatalf("got %d rows x %d columns, want 1000 x 13", tbl.NumRows(), tbl.NumCols())
			}
			f, _ := tbl.Schema().FieldsByName("registration_dttm")
			if len(f) != 1 || f[0].Type.ID() != arrow.TIMESTAMP {
				t.Fatalf("registration_dttm (INT96) not read as a timestamp: %v", f)
			}
			out := writeParquetTable(t, tbl, ParquetOptions{})
			back, err := readParquetTable(t, out, 1000)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if !schemaTypesEqual(tbl.Schema(), back.Schema()) || !tableValuesEqual(tbl, back) {
				t.Fatal("round trip changed the table")
			}
		})
	}
}

func TestParquetBatchSize(t *testing.T) {
	path := "../testdata/kylo-userdata/parquet/userdata1.parquet"
	tests := []struct {
		name  string
		batch int
		want  []int64
	}{
		{name: "300", batch: 300, want: []int64{300, 300, 300, 100}},
		{name: "1", batch: 1, want: slices.Repeat([]int64{1}, 1000)},
		{name: "default", batch: 0, want: []int64{1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := Open(path, ReadOptions{Format: Parquet, BatchSize: tt.batch})
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			var got []int64
			for rd.Next() {
				got = append(got, rd.RecordBatch().NumRows())
			}
			if err := rd.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("batch sizes %v, want %v", got, tt.want)
			}
		})
	}
}

package formats

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// typesTable builds a table with many Arrow types from JSON rows.
func typesTable(t *testing.T) arrow.Table {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: false},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
		{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "d32", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts_s", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true},
		{Name: "ts_ms_ny", Type: &arrow.TimestampType{Unit: arrow.Millisecond,
			TimeZone: "America/New_York"}, Nullable: true},
		{Name: "ts_us_utc", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			Nullable: true},
		{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond}, Nullable: true},
		{Name: "t32s", Type: arrow.FixedWidthTypes.Time32s, Nullable: true},
		{Name: "d64", Type: arrow.FixedWidthTypes.Date64, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal128Type{Precision: 20, Scale: 4}, Nullable: true},
		{Name: "dec256", Type: &arrow.Decimal256Type{Precision: 50, Scale: 2}, Nullable: true},
		{Name: "list", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		{Name: "st", Type: arrow.StructOf(
			arrow.Field{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.PrimitiveTypes.Float64, Nullable: true}),
			Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64),
			Nullable: true},
	}, nil)
	rows := `[
	{"i64": 9223372036854775807, "i8": -128, "u64": 18446744073709551615, "f32": 1.5,
	 "f64": 0.1, "s": "", "ls": "großé", "bin": "AAEC", "b": true, "d32": "2024-02-29",
	 "ts_s": "1970-01-01T00:00:01", "ts_ms_ny": "2024-03-10T07:30:00.123Z",
	 "ts_us_utc": "2000-01-01T00:00:00.000001Z", "ts_ns": "2262-04-11T23:47:16.854775807",
	 "t32s": 86399, "d64": 1709164800000, "dec": "12345678.9012",
	 "dec256": "-123456789012345678901234567890123456789012345678.9",
	 "list": [1, null, 3], "st": {"a": "x", "b": 2.5}, "m": [{"key": "k", "value": 1}]},
	{"i64": null, "i8": null, "u64": null, "f32": null, "f64": -0.0, "s": null, "ls": null,
	 "bin": null, "b": null, "d32": null, "ts_s": null, "ts_ms_ny": null, "ts_us_utc": null,
	 "ts_ns": null, "t32s": null, "d64": null, "dec": null, "dec256": null, "list": null,
	 "st": null, "m": null},
	{"i64": -9223372036854775808, "i8": 127, "u64": 0, "f32": -3.4e38, "f64": 1e308,
	 "s": "a\"b\\c\n", "ls": "", "bin": "", "b": false, "d32": "1900-01-01",
	 "ts_s": "1900-01-01T00:00:00", "ts_ms_ny": "1969-12-31T23:59:59.999Z",
	 "ts_us_utc": "2038-01-19T03:14:08Z", "ts_ns": "1677-09-21T00:12:43.145224192",
	 "t32s": 0, "d64": -86400000, "dec": "-0.0001", "dec256": "0.01", "list": [],
	 "st": {"a": null, "b": null},
	 "m": []}
	]`
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, schema, strings.NewReader(rows))
	if err != nil {
		t.Fatalf("build table: %v", err)
	}
	defer rec.Release()
	return array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
}

func TestParquetWriterTypes(t *testing.T) {
	tests := []struct {
		name        string
		compression string
		codec       compress.Compression
	}{
		{name: "default is snappy", compression: "", codec: compress.Codecs.Snappy},
		{name: "snappy", compression: "snappy", codec: compress.Codecs.Snappy},
		{name: "zstd", compression: "zstd", codec: compress.Codecs.Zstd},
		{name: "gzip", compression: "GZIP", codec: compress.Codecs.Gzip},
		{name: "none", compression: "none", codec: compress.Codecs.Uncompressed},
	}
	tbl := typesTable(t)
	defer tbl.Release()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeParquetTable(t, tbl, ParquetOptions{Compression: tt.compression})
			back, err := readParquetTable(t, path, 2)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if !schemaTypesEqual(tbl.Schema(), back.Schema()) {
				t.Fatalf("types changed:\n%v\nvs\n%v", tbl.Schema(), back.Schema())
			}
			if !tableValuesEqual(tbl, back) {
				t.Fatal("values changed")
			}

			pf, err := file.OpenParquetFile(path, false)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			cc, err := pf.MetaData().RowGroup(0).ColumnChunk(0)
			if err != nil {
				t.Fatal(err)
			}
			if cc.Compression() != tt.codec {
				t.Errorf("codec %v, want %v", cc.Compression(), tt.codec)
			}
		})
	}
}

func TestParquetWriterUnknownCompression(t *testing.T) {
	tbl := typesTable(t)
	defer tbl.Release()
	_, err := NewWriter(io.Discard, tbl.Schema(), WriteOptions{Format: Parquet,
		Parquet: ParquetOptions{Compression: "brotli-ish"}})
	if err == nil || !strings.Contains(err.Error(), "unknown Parquet compression") {
		t.Fatalf("got %v, want an unknown compression error", err)
	}
}

func TestParquetWriterRowGroupsAndDictionary(t *testing.T) {
	src := "../testdata/kylo-userdata/parquet/userdata1.parquet"
	tbl, err := readParquetTable(t, src, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()

	tests := []struct {
		name   string
		rows   int64
		groups int
	}{
		{name: "300 rows per group", rows: 300, groups: 4},
		{name: "default holds all", rows: 0, groups: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeParquetTable(t, tbl, ParquetOptions{RowGroupRows: tt.rows})
			pf, err := file.OpenParquetFile(path, false)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			if n := pf.NumRowGroups(); n != tt.groups {
				t.Fatalf("%d row groups, want %d", n, tt.groups)
			}

			// Dictionary off for timestamps (INT96 comes back as a ns
			// timestamp, stored as INT64) and doubles, and for text columns
			// whose values are mostly distinct; on for int32 and for
			// repetitive text.
			rg := pf.MetaData().RowGroup(0)
			sc := pf.MetaData().Schema
			for i := 0; i < sc.NumColumns(); i++ {
				cc, err := rg.ColumnChunk(i)
				if err != nil {
					t.Fatal(err)
				}
				col := sc.Column(i)
				var want bool
				switch col.PhysicalType() {
				case parquet.Types.ByteArray:
					switch col.Name() {
					case "gender", "country":
						want = true
					case "email", "ip_address", "cc":
						want = false
					default:
						continue
					}
				case parquet.Types.Int32:
					want = true
				case parquet.Types.Int64, parquet.Types.Double, parquet.Types.Float:
					want = false
				default:
					continue
				}
				if got := cc.HasDictionaryPage(); got != want {
					t.Errorf("column %s (%v): dictionary %v, want %v",
						col.Name(), col.PhysicalType(), got, want)
				}
			}
		})
	}
}

// closeRecorder fails the test if Close is called on it.
type closeRecorder struct {
	bytes.Buffer
	closed bool
}

func (c *closeRecorder) Close() error {
	c.closed = true
	return nil
}

func TestParquetWriterDoesNotCloseSink(t *testing.T) {
	tbl := typesTable(t)
	defer tbl.Release()
	var sink closeRecorder
	w, err := NewWriter(&sink, tbl.Schema(), WriteOptions{Format: Parquet, Name: "sink"})
	if err != nil {
		t.Fatal(err)
	}
	tr := array.NewTableReader(tbl, 10)
	defer tr.Release()
	for tr.Next() {
		if err := w.Write(tr.RecordBatch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if sink.closed {
		t.Fatal("the Parquet writer closed the sink")
	}
	b := sink.Bytes()
	if !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
		t.Fatal("output is not a complete Parquet file")
	}

	// The bytes are a readable file.
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := readParquetTable(t, path, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if back.NumRows() != tbl.NumRows() {
		t.Fatalf("%d rows, want %d", back.NumRows(), tbl.NumRows())
	}
}

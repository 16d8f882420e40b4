package formats

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// textBatch builds a batch of utf8 columns from rows of strings and nils.
func textBatch(mem memory.Allocator, names []string, rows [][]any) arrow.RecordBatch {
	fields := make([]arrow.Field, len(names))
	for j, n := range names {
		fields[j] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, row := range rows {
		for j, v := range row {
			sb := b.Field(j).(*array.StringBuilder)
			if v == nil {
				sb.AppendNull()
			} else {
				sb.Append(v.(string))
			}
		}
	}
	return b.NewRecordBatch()
}

// writeCSV writes the batches with opt and returns the text.
func writeCSV(t *testing.T, schema *arrow.Schema, opt WriteOptions,
	recs ...arrow.RecordBatch,
) string {
	t.Helper()
	var buf bytes.Buffer
	opt.Format, opt.Name = CSV, "out.csv"
	w, err := NewWriter(&buf, schema, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestCSVWriterText checks the quoting of text and its round trip.
func TestCSVWriterText(t *testing.T) {
	semicolon := CSVOptions{Delimiter: ';'}
	single := CSVOptions{Quote: '\''}
	tests := []struct {
		name  string
		csv   CSVOptions
		names []string
		rows  [][]any
		want  string
	}{
		{name: "plain", names: []string{"a", "b"}, rows: [][]any{{"x", "y"}},
			want: "a,b\nx,y\n"},
		{name: "comma", names: []string{"a", "b"}, rows: [][]any{{"x,y", "z"}},
			want: "a,b\n\"x,y\",z\n"},
		{name: "quotes doubled", names: []string{"a"}, rows: [][]any{{`say "hi"`}, {`"`}},
			want: "a\n\"say \"\"hi\"\"\"\n\"\"\"\"\n"},
		{name: "line breaks", names: []string{"a", "b"},
			rows: [][]any{{"x\ny", "p\r\nq"}, {"cr\r", "\n"}},
			want: "a,b\n\"x\ny\",\"p\r\nq\"\n\"cr\r\",\"\n\"\n"},
		{name: "spaces", names: []string{"a", "b", "c"}, rows: [][]any{{" x", "y ", "in side"}},
			want: "a,b,c\n x,y ,in side\n"},
		{name: "null and empty", names: []string{"a", "b", "c"},
			rows: [][]any{{"", nil, "x"}, {nil, "", nil}},
			want: "a,b,c\n\"\",,x\n,\"\",\n"},
		{name: "single column nulls", names: []string{"a"}, rows: [][]any{{nil}, {""}, {nil}},
			want: "a\n\n\"\"\n\n"},
		{name: "multibyte and NUL", names: []string{"名前", "b"},
			rows: [][]any{{"日本語", "x\x00y"}},
			want: "名前,b\n日本語,x\x00y\n"},
		{name: "leading BOM", names: []string{"\ufeffa"}, rows: [][]any{{"\ufeffx"}},
			want: "\"\ufeffa\"\n\"\ufeffx\"\n"},
		{name: "header quoted", names: []string{"a,b", " c"}, rows: [][]any{{"1", "2"}},
			want: "\"a,b\", c\n1,2\n"},
		{name: "semicolon", csv: semicolon, names: []string{"a", "b"},
			rows: [][]any{{"x,y", "x;y"}}, want: "a;b\nx,y;\"x;y\"\n"},
		{name: "single quote", csv: single, names: []string{"a", "b"},
			rows: [][]any{{"it's", `"x"`}}, want: "a,b\n'it''s',\"x\"\n"},
		{name: "no header", csv: CSVOptions{NoHeader: true}, names: []string{"col1", "col2"},
			rows: [][]any{{"1", nil}}, want: "1,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec := textBatch(mem, tt.names, tt.rows)
			defer rec.Release()

			got := writeCSV(t, rec.Schema(), WriteOptions{CSV: tt.csv}, rec)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}

			names, rows, err := readAllCSV(t, got, ReadOptions{CSV: tt.csv})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(names, tt.names) || !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("read back %q %q, want %q %q", names, rows, tt.names, tt.rows)
			}
		})
	}
}

// TestCSVCopyIsByteFaithful reads and writes canonical CSV and expects the
// same bytes.
func TestCSVCopyIsByteFaithful(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{name: "mixed", input: "id,name,note,zip\n" +
			"1,\"Doe, John\",\"say \"\"hi\"\"\",02134\n" +
			"2,,\"\",\n" +
			"3,\"multi\nline\", lead,+1 (555) 010-0000\n" +
			"4,\"crlf\r\ninside\",日本語,123456789012345678901234567890\n"},
		{name: "header only", input: "a,b\n"},
		{name: "single column", input: "a\n1\n\n\"\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.input),
				ReadOptions{Format: CSV, BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var buf bytes.Buffer
			w, err := NewWriter(&buf, r.Schema(), WriteOptions{Format: CSV})
			if err != nil {
				t.Fatal(err)
			}
			for r.Next() {
				if err := w.Write(r.RecordBatch()); err != nil {
					t.Fatal(err)
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.input {
				t.Errorf("got %q, want %q", buf.String(), tt.input)
			}
		})
	}
}

// TestCSVWriterTypes checks how typed columns are formatted. Each case is a
// column "v" of two or more rows.
func TestCSVWriterTypes(t *testing.T) {
	jan7 := time.Date(2024, 1, 7, 0, 0, 0, 0, time.UTC)
	dec := &arrow.Decimal128Type{Precision: 10, Scale: 2}
	tests := []struct {
		name  string
		typ   arrow.DataType
		fill  func(b array.Builder)
		want  []string
		check bool // read back with the type and compare
	}{
		{name: "int64", typ: arrow.PrimitiveTypes.Int64, check: true,
			fill: func(b array.Builder) {
				b.(*array.Int64Builder).AppendValues([]int64{-42, math.MaxInt64, 0},
					[]bool{true, true, false})
			},
			want: []string{"-42", "9223372036854775807", ""}},
		{name: "uint64", typ: arrow.PrimitiveTypes.Uint64,
			fill: func(b array.Builder) {
				b.(*array.Uint64Builder).AppendValues([]uint64{math.MaxUint64, 7}, nil)
			},
			want: []string{"18446744073709551615", "7"}},
		{name: "int8", typ: arrow.PrimitiveTypes.Int8,
			fill: func(b array.Builder) {
				b.(*array.Int8Builder).AppendValues([]int8{-128, 1}, nil)
			},
			want: []string{"-128", "1"}},
		{name: "float64", typ: arrow.PrimitiveTypes.Float64, check: true,
			fill: func(b array.Builder) {
				b.(*array.Float64Builder).AppendValues([]float64{0.1, 53872.20, 1e21, 100,
					math.Inf(1), math.Inf(-1), -1.5e-7}, nil)
			},
			want: []string{"0.1", "53872.2", "1e+21", "100", "+Inf", "-Inf", "-1.5e-07"}},
		{name: "float64 NaN", typ: arrow.PrimitiveTypes.Float64,
			fill: func(b array.Builder) {
				b.(*array.Float64Builder).AppendValues([]float64{math.NaN()}, nil)
			},
			want: []string{"NaN"}},
		{name: "float32", typ: arrow.PrimitiveTypes.Float32, check: true,
			fill: func(b array.Builder) {
				b.(*array.Float32Builder).AppendValues([]float32{0.1, 2.5}, nil)
			},
			want: []string{"0.1", "2.5"}},
		{name: "bool", typ: arrow.FixedWidthTypes.Boolean, check: true,
			fill: func(b array.Builder) {
				b.(*array.BooleanBuilder).AppendValues([]bool{true, false, false},
					[]bool{true, true, false})
			},
			want: []string{"true", "false", ""}},
		{name: "date32", typ: arrow.FixedWidthTypes.Date32, check: true,
			fill: func(b array.Builder) {
				b.(*array.Date32Builder).AppendValues(
					[]arrow.Date32{day(2024, 1, 7), -1, day(1, 1, 1)}, nil)
			},
			want: []string{"2024-01-07", "1969-12-31", "0001-01-01"}},
		{name: "naive timestamp s", typ: &arrow.TimestampType{Unit: arrow.Second}, check: true,
			fill: func(b array.Builder) {
				b.(*array.TimestampBuilder).Append(arrow.Timestamp(jan7.Unix()))
			},
			want: []string{"2024-01-07T00:00:00"}},
		{name: "naive timestamp ms", typ: &arrow.TimestampType{Unit: arrow.Millisecond},
			check: true,
			fill: func(b array.Builder) {
				b.(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{
					arrow.Timestamp(jan7.UnixMilli() + 120), -1}, nil)
			},
			want: []string{"2024-01-07T00:00:00.12", "1969-12-31T23:59:59.999"}},
		{name: "zoned timestamp UTC",
			typ:   &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
			check: true,
			fill: func(b array.Builder) {
				b.(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{
					arrow.Timestamp(jan7.UnixMicro()), arrow.Timestamp(jan7.UnixMicro() + 1)}, nil)
			},
			want: []string{"2024-01-07T00:00:00Z", "2024-01-07T00:00:00.000001Z"}},
		{name: "zoned timestamp offset",
			typ: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "+05:30"}, check: true,
			fill: func(b array.Builder) {
				b.(*array.TimestampBuilder).Append(arrow.Timestamp(jan7.UnixNano()))
			},
			want: []string{"2024-01-07T05:30:00+05:30"}},
		{name: "decimal", typ: dec,
			fill: func(b array.Builder) {
				b.(*array.Decimal128Builder).Append(decimal128.FromI64(-12345))
			},
			want: []string{"-123.45"}},
		{name: "binary", typ: arrow.BinaryTypes.Binary,
			fill: func(b array.Builder) {
				b.(*array.BinaryBuilder).AppendValues([][]byte{{0, 1, 2, 255}, {}}, nil)
			},
			want: []string{"AAEC/w==", `""`}},
		{name: "list", typ: arrow.ListOf(arrow.PrimitiveTypes.Int64),
			fill: func(b array.Builder) {
				lb := b.(*array.ListBuilder)
				vb := lb.ValueBuilder().(*array.Int64Builder)
				lb.Append(true)
				vb.AppendValues([]int64{1, 2}, nil)
				vb.AppendNull()
				lb.Append(true)
				vb.Append(3)
			},
			want: []string{`"[1,2,null]"`, "[3]"}},
		{name: "struct", typ: arrow.StructOf(
			arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int64},
			arrow.Field{Name: "y", Type: arrow.BinaryTypes.String}),
			fill: func(b array.Builder) {
				sb := b.(*array.StructBuilder)
				sb.Append(true)
				sb.FieldBuilder(0).(*array.Int64Builder).Append(1)
				sb.FieldBuilder(1).(*array.StringBuilder).Append(`<a "b">`)
			},
			want: []string{`"{""x"":1,""y"":""<a \""b\"">""}"`}},
		{name: "dictionary", typ: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8,
			ValueType: arrow.BinaryTypes.String},
			fill: func(b array.Builder) {
				db := b.(*array.BinaryDictionaryBuilder)
				_ = db.AppendString("x,y")
				_ = db.AppendString("z")
				db.AppendNull()
				_ = db.AppendString("z")
			},
			want: []string{`"x,y"`, "z", "", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "v", Type: tt.typ, Nullable: true}}, nil)
			b := array.NewRecordBuilder(mem, schema)
			defer b.Release()
			tt.fill(b.Field(0))
			rec := b.NewRecordBatch()
			defer rec.Release()

			got := writeCSV(t, schema, WriteOptions{}, rec)
			want := "v\n" + strings.Join(tt.want, "\n") + "\n"
			if got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if !tt.check {
				return
			}

			// Read back with the same type: the values must be equal.
			r, err := NewReader(strings.NewReader(got), ReadOptions{Format: CSV, Mem: mem,
				ColumnTypes: map[string]arrow.DataType{"v": tt.typ}})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if !r.Next() {
				t.Fatalf("no batch read back: %v", r.Err())
			}
			if back := r.RecordBatch().Column(0); !array.Equal(back, rec.Column(0)) {
				t.Errorf("read back %v, want %v", back, rec.Column(0))
			}
		})
	}
}

// failingWriter fails every write and records Close calls.
type failingWriter struct{ closed bool }

func (f *failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
func (f *failingWriter) Close() error              { f.closed = true; return nil }

// TestCSVWriterLifecycle checks Close, errors and a batch that does not fit.
func TestCSVWriterLifecycle(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := textBatch(mem, []string{"a", "b"}, [][]any{{"1", "2"}})
	defer rec.Release()
	narrow := textBatch(mem, []string{"a"}, [][]any{{"1"}})
	defer narrow.Release()

	t.Run("header only", func(t *testing.T) {
		if got := writeCSV(t, rec.Schema(), WriteOptions{}); got != "a,b\n" {
			t.Errorf("got %q, want the header alone", got)
		}
	})
	t.Run("write error", func(t *testing.T) {
		fw := &failingWriter{}
		w, err := NewWriter(fw, rec.Schema(), WriteOptions{Format: CSV, Name: "out.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err) // buffered
		}
		err = w.Close()
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("got %v, want the write error", err)
		}
		if fw.closed {
			t.Error("Close closed the underlying writer")
		}
	})
	t.Run("column count", func(t *testing.T) {
		w, err := NewWriter(&bytes.Buffer{}, rec.Schema(), WriteOptions{Format: CSV})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(narrow); err == nil {
			t.Error("a batch with fewer columns was accepted")
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(rec); err == nil {
			t.Error("Write after Close was accepted")
		}
	})
	t.Run("bad dialect", func(t *testing.T) {
		_, err := NewWriter(&bytes.Buffer{}, rec.Schema(),
			WriteOptions{Format: CSV, CSV: CSVOptions{Delimiter: '\n'}})
		if err == nil {
			t.Error("a newline delimiter was accepted")
		}
	})
}

// BenchmarkCSVWrite writes a 12-column table of text columns.
func BenchmarkCSVWrite(b *testing.B) {
	const rows = 100000
	r, err := NewReader(bytes.NewReader(csvBenchInput(rows)),
		ReadOptions{Format: CSV, BatchSize: rows})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if !r.Next() {
		b.Fatal(r.Err())
	}
	rec := r.RecordBatch()
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWriter(io.Discard, rec.Schema(), WriteOptions{Format: CSV})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

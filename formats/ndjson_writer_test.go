package formats

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestNDJSONWriterTypes(t *testing.T) {
	tbl := typesTable(t)
	defer tbl.Release()
	lines := strings.Split(strings.TrimSuffix(string(writeJSONTable(t, tbl, false)), "\n"), "\n")
	tests := []struct {
		name string
		want string
	}{
		{name: "row 1", want: `{"i64":9223372036854775807,"i8":-128,"u64":18446744073709551615,` +
			`"f32":1.5,"f64":0.1,"s":"","ls":"großé","bin":"AAEC","b":true,"d32":"2024-02-29",` +
			`"ts_s":"1970-01-01T00:00:01","ts_ms_ny":"2024-03-10T03:30:00.123-04:00",` +
			`"ts_us_utc":"2000-01-01T00:00:00.000001Z","ts_ns":"2262-04-11T23:47:16.854775807",` +
			`"t32s":"23:59:59","d64":"2024-02-29","dec":12345678.9012,` +
			`"dec256":-123456789012345678901234567890123456789012345678.9,` +
			`"list":[1,null,3],"st":{"a":"x","b":2.5},"m":[{"key":"k","value":1}]}`},
		{name: "row 2, nulls", want: `{"i64":null,"i8":null,"u64":null,"f32":null,"f64":-0.0,` +
			`"s":null,"ls":null,"bin":null,"b":null,"d32":null,"ts_s":null,"ts_ms_ny":null,` +
			`"ts_us_utc":null,"ts_ns":null,"t32s":null,"d64":null,"dec":null,"dec256":null,` +
			`"list":null,"st":null,"m":null}`},
		{name: "row 3", want: `{"i64":-9223372036854775808,"i8":127,"u64":0,"f32":-3.4e+38,` +
			`"f64":1e+308,"s":"a\"b\\c\n","ls":"","bin":"","b":false,"d32":"1900-01-01",` +
			`"ts_s":"1900-01-01T00:00:00","ts_ms_ny":"1969-12-31T18:59:59.999-05:00",` +
			`"ts_us_utc":"2038-01-19T03:14:08Z","ts_ns":"1677-09-21T00:12:43.145224192",` +
			`"t32s":"00:00:00","d64":"1969-12-31","dec":-0.0001,"dec256":0.01,"list":[],` +
			`"st":{"a":null,"b":null},"m":[]}`},
	}
	if len(lines) != len(tests) {
		t.Fatalf("%d lines, want %d", len(lines), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if lines[i] != tt.want {
				t.Errorf("got\n%s\nwant\n%s", lines[i], tt.want)
			}
			if !json.Valid([]byte(lines[i])) {
				t.Error("not valid JSON")
			}
		})
	}
}

func TestNDJSONWriterStrings(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "plain", in: "hello"},
		{name: "quotes and backslash", in: `a"b\c`},
		{name: "controls", in: "\x00\x01\b\f\n\r\t\x1f\x7f"},
		{name: "html is not escaped", in: "<b>&amp;</b>"},
		{name: "line separators", in: "a\u2028b\u2029c"},
		{name: "invalid utf-8", in: "a\xffb\xc3"},
		{name: "multibyte", in: "日本語 😀 é"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tt.in); err != nil {
				t.Fatal(err)
			}
			got := appendJSONString(nil, tt.in)
			if string(got) != strings.TrimSuffix(want.String(), "\n") {
				t.Errorf("got %s, want %s", got, want.String())
			}
		})
	}
}

func TestNDJSONWriterFloats(t *testing.T) {
	tests := []struct {
		name string
		f    float64
		bits int
		want string
	}{
		{name: "integral", f: 2, bits: 64, want: "2.0"},
		{name: "fraction", f: 0.1, bits: 64, want: "0.1"},
		{name: "small", f: 1e-7, bits: 64, want: "1e-7"},
		{name: "large", f: 1e21, bits: 64, want: "1e+21"},
		{name: "below large", f: 1e20, bits: 64, want: "100000000000000000000.0"},
		{name: "shortest round trip", f: 1.0 / 3, bits: 64, want: "0.3333333333333333"},
		{name: "float32 shortest", f: float64(float32(0.1)), bits: 32, want: "0.1"},
		{name: "NaN", f: math.NaN(), bits: 64, want: "null"},
		{name: "+Inf", f: math.Inf(1), bits: 64, want: "null"},
		{name: "-Inf", f: math.Inf(-1), bits: 32, want: "null"},
		{name: "max", f: math.MaxFloat64, bits: 64, want: "1.7976931348623157e+308"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendJSONFloat(nil, tt.f, tt.bits)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNDJSONWriterForms(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "z", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"x", ""}, []bool{true, false})
	rec := b.NewRecordBatch()
	defer rec.Release()

	tests := []struct {
		name    string
		format  Format
		batches int
		want    string
	}{
		{name: "ndjson keeps schema order", format: NDJSON, batches: 1,
			want: "{\"z\":1,\"a\":\"x\"}\n{\"z\":2,\"a\":null}\n"},
		{name: "array", format: JSON, batches: 2,
			want: "[{\"z\":1,\"a\":\"x\"},\n{\"z\":2,\"a\":null},\n" +
				"{\"z\":1,\"a\":\"x\"},\n{\"z\":2,\"a\":null}]\n"},
		{name: "empty array", format: JSON, batches: 0, want: "[]\n"},
		{name: "empty ndjson", format: NDJSON, batches: 0, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink closeRecorder
			w, err := NewWriter(&sink, schema, WriteOptions{Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			for range tt.batches {
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
			}
			if sink.Len() != 0 && tt.batches < 3 {
				t.Error("output not buffered")
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if sink.closed {
				t.Error("Close closed the underlying writer")
			}
			if got := sink.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

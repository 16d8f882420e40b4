package formats

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// readJSONTable reads all of in with a text reader into a table.
func readJSONTable(t *testing.T, in []byte, opt ReadOptions) (arrow.Table, error) {
	t.Helper()
	if opt.Name == "" {
		opt.Name = "in.ndjson"
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	opt.Mem = mem
	rd, err := NewReader(bytes.NewReader(in), opt)
	if err != nil {
		return nil, err
	}
	var recs []arrow.RecordBatch
	for rd.Next() {
		rec := rd.RecordBatch()
		if opt.BatchSize > 0 && rec.NumRows() > int64(opt.BatchSize) {
			t.Errorf("batch of %d rows, batch size %d", rec.NumRows(), opt.BatchSize)
		}
		rec.Retain()
		recs = append(recs, rec)
	}
	err = rd.Err()
	tbl := array.NewTableFromRecords(rd.Schema(), recs)
	for _, r := range recs {
		r.Release()
	}
	rd.Close()
	if err != nil {
		tbl.Release()
		mem.AssertSize(t, 0)
		return nil, err
	}
	return tbl, nil
}

// writeJSONTable writes tbl as NDJSON, or a JSON array when asArray is set.
func writeJSONTable(t *testing.T, tbl arrow.Table, asArray bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	f := NDJSON
	if asArray {
		f = JSON
	}
	w, err := NewWriter(&buf, tbl.Schema(), WriteOptions{Format: f, Name: "out"})
	if err != nil {
		t.Fatal(err)
	}
	tr := array.NewTableReader(tbl, 2)
	defer tr.Release()
	for tr.Next() {
		if err := w.Write(tr.RecordBatch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// columnStrings renders column name of tbl, one value per row, "<null>" for
// null.
func columnStrings(t *testing.T, tbl arrow.Table, name string) []string {
	t.Helper()
	idx := tbl.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("no column %q in %v", name, tbl.Schema())
	}
	var out []string
	for _, ch := range tbl.Column(idx[0]).Data().Chunks() {
		for i := 0; i < ch.Len(); i++ {
			if ch.IsNull(i) {
				out = append(out, "<null>")
			} else {
				out = append(out, ch.ValueStr(i))
			}
		}
	}
	return out
}

func TestNDJSONInference(t *testing.T) {
	in := `{"id":1,"name":"Ann","score":1.5,"ok":true,"big":1,"nest":{"a":[1, 2]},"nil":null}
{"id":2,"name":"","score":2,"ok":false,"big":12345678901234567890,"nest":[ ],"nil":null}

{"name":null,"score":-1e3,"big":-9223372036854775809}
`
	tbl, err := readJSONTable(t, []byte(in), ReadOptions{Format: NDJSON})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()

	tests := []struct {
		name string
		typ  arrow.DataType
		kind string
		want []string
	}{
		{name: "id", typ: arrow.PrimitiveTypes.Int64, want: []string{"1", "2", "<null>"}},
		{name: "name", typ: arrow.BinaryTypes.String, want: []string{"Ann", "", "<null>"}},
		{name: "score", typ: arrow.PrimitiveTypes.Float64, want: []string{"1.5", "2", "-1000"}},
		{name: "ok", typ: arrow.FixedWidthTypes.Boolean,
			want: []string{"true", "false", "<null>"}},
		{name: "big", typ: arrow.BinaryTypes.String, kind: JSONKindNumber,
			want: []string{"1", "12345678901234567890", "-9223372036854775809"}},
		{name: "nest", typ: arrow.BinaryTypes.String, kind: JSONKindText,
			want: []string{`{"a":[1,2]}`, "[]", "<null>"}},
		{name: "nil", typ: arrow.BinaryTypes.String, want: []string{"<null>", "<null>", "<null>"}},
	}
	if tbl.NumCols() != int64(len(tests)) {
		t.Fatalf("schema %v", tbl.Schema())
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tbl.Schema().Field(i)
			if f.Name != tt.name {
				t.Fatalf("column %d is %q, want %q (first-seen order)", i, f.Name, tt.name)
			}
			if !arrow.TypeEqual(f.Type, tt.typ) {
				t.Errorf("type %v, want %v", f.Type, tt.typ)
			}
			if kind, _ := f.Metadata.GetValue(JSONKindKey); kind != tt.kind {
				t.Errorf("kind %q, want %q", kind, tt.kind)
			}
			if got := columnStrings(t, tbl, tt.name); strings.Join(got, "|") !=
				strings.Join(tt.want, "|") {
				t.Errorf("values %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNDJSONErrors(t *testing.T) {
	const secret = "s3cr3t-value"
	atIsData := func(name string) string { // stands in for cmd's detectors
		if strings.Contains(name, "@") {
			return "data"
		}
		return ""
	}
	tests := []struct {
		name    string
		in      string
		opt     ReadOptions
		atOpen  bool   // the error comes from NewReader (inference window)
		line    int64  // expected ParseError line, 0 to skip
		column  string // expected ParseError column
		contain string
	}{
		{name: "string in int column after inference",
			in:   `{"a":1}` + "\n" + `{"a":2}` + "\n\n" + `{"a":"` + secret + `"}` + "\n",
			opt:  ReadOptions{BatchSize: 2},
			line: 4, column: "a", contain: "does not fit"},
		{name: "after inference the error hints at declaring the type",
			in:   `{"a":1}` + "\n" + `{"a":2}` + "\n" + `{"a":"` + secret + `"}` + "\n",
			opt:  ReadOptions{BatchSize: 2},
			line: 3, column: "a",
			contain: "inferred from the first 2 records: declare the column's type in " +
				"the profile"},
		{name: "a value after the 10,000-record window",
			in:   strings.Repeat(`{"a":1}`+"\n", 10000) + `{"a":"` + secret + `"}` + "\n",
			line: 10001, column: "a",
			contain: "inferred from the first 10000 records: declare the column's type"},
		{name: "fraction after inference hints at declaring the type",
			in:   `{"a":1}` + "\n" + `{"a":2.5}`,
			opt:  ReadOptions{BatchSize: 1},
			line: 2, column: "a", contain: "declare the column's type in the profile"},
		{name: "mixed types inside the window hint at declaring the type",
			in: `{"a":1}` + "\n" + `{"a":"` + secret + `"}`, atOpen: true,
			line: 2, column: "a", contain: "declare the column's type in the profile"},
		{name: "fraction in int column after inference",
			in:   `{"a":1}` + "\n" + `{"a":2.5}`,
			opt:  ReadOptions{BatchSize: 1},
			line: 2, column: "a", contain: "fraction"},
		{name: "int64 overflow after inference",
			in:   `{"a":1}` + "\n" + `{"a":92233720368547758070}`,
			opt:  ReadOptions{BatchSize: 1},
			line: 2, column: "a", contain: "range"},
		{name: "new key after inference",
			in:   `{"a":1}` + "\n" + `{"a":1,"` + secret + `k":1}`,
			opt:  ReadOptions{BatchSize: 1},
			line: 2, column: secret + "k", contain: "key not seen"},
		{name: "key shaped like data",
			in: `{"a":1}` + "\n" + `{"a":1,"` + secret + `@x.org":1}`, atOpen: true,
			opt:  ReadOptions{HeaderCheck: atIsData},
			line: 2, contain: "key 2 of the object: data looks like data"},
		{name: "key shaped like data after inference",
			in:   `{"a":1}` + "\n" + `{"` + secret + `@x.org":1,"a":1}`,
			opt:  ReadOptions{BatchSize: 1, HeaderCheck: atIsData},
			line: 2, contain: "key 1 of the object: data looks like data"},
		{name: "mixed types inside the inference window",
			in: `{"a":1}` + "\n" + `{"a":"` + secret + `"}`, atOpen: true,
			line: 2, column: "a", contain: "mixed JSON types"},
		{name: "invalid JSON", in: `{"a":1}` + "\n" + `{"a":` + secret + `}`, atOpen: true,
			line: 2, contain: "invalid JSON at byte 6"},
		{name: "unterminated string", in: `{"a":"` + secret, atOpen: true,
			line: 1, contain: "unexpected end of input"},
		{name: "trailing garbage", in: `{"a":1} ` + secret, atOpen: true,
			line: 1, contain: "unexpected data after the object"},
		{name: "two objects on a line", in: `{"a":1}{"a":2}`, atOpen: true,
			line: 1, contain: "unexpected data after the object"},
		{name: "array line", in: `{"a":1}` + "\n" + `["` + secret + `"]`, atOpen: true,
			line: 2, contain: "not a JSON object"},
		{name: "pretty-printed object", in: "{\n\"a\": 1\n}", atOpen: true,
			line: 1, contain: "unexpected end of input"},
		{name: "invalid UTF-8", in: "{\"a\":\"\xff" + secret + "\"}", atOpen: true,
			line: 1, contain: "invalid UTF-8"},
		{name: "empty input", in: "", atOpen: true, contain: "no JSON records"},
		{name: "blank lines only", in: "\n  \n\r\n", atOpen: true, contain: "no JSON records"},
		{name: "deep nesting", in: `{"a":` + strings.Repeat("[", 100000) + `}`, atOpen: true,
			line: 1, contain: "nested too deeply"},
		{name: "declared int32 out of range",
			in: `{"a":2147483648}`,
			opt: ReadOptions{ColumnTypes: map[string]arrow.DataType{
				"a": arrow.PrimitiveTypes.Int32}},
			line: 1, column: "a", contain: "out of the range of type int32"},
		{name: "declared date not a date",
			in: `{"d":"` + secret + `"}`,
			opt: ReadOptions{ColumnTypes: map[string]arrow.DataType{
				"d": arrow.FixedWidthTypes.Date32}},
			line: 1, column: "d", contain: "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := tt.opt
			opt.Format = NDJSON
			opt.Name = "data.ndjson"
			rd, err := NewReader(strings.NewReader(tt.in), opt)
			if (err != nil) != tt.atOpen {
				t.Fatalf("NewReader error %v, want an error there: %v", err, tt.atOpen)
			}
			if err == nil {
				defer rd.Close()
				for rd.Next() {
				}
				err = rd.Err()
			}
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if pe.File != "data.ndjson" || pe.Line != tt.line || pe.Column != tt.column {
				t.Errorf("error at file %q line %d column %q, want line %d column %q: %v",
					pe.File, pe.Line, pe.Column, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.contain) {
				t.Errorf("error %q does not contain %q", err, tt.contain)
			}
			if strings.Contains(pe.Err.Error(), secret) {
				t.Errorf("error quotes the data: %v", err)
			}
		})
	}
}

func TestNDJSONColumnTypes(t *testing.T) {
	in := `{"id":"7","n":12,"when":"2024-01-02T03:04:05.5+01:00","day":"2024-02-29",` +
		`"price":"12.30","any":{"x":1},"u":255,"f":1}
{"id":"8","n":true,"when":"2024-01-02 03:04:05","day":null,"price":0.5,"any":"s","u":0}
`
	opt := ReadOptions{Format: NDJSON, ColumnTypes: map[string]arrow.DataType{
		"n":     arrow.BinaryTypes.String,
		"any":   arrow.BinaryTypes.String,
		"when":  &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"},
		"day":   arrow.FixedWidthTypes.Date32,
		"price": &arrow.Decimal128Type{Precision: 10, Scale: 2},
		"u":     arrow.PrimitiveTypes.Uint8,
		"f":     arrow.PrimitiveTypes.Float32,
		"extra": arrow.PrimitiveTypes.Int64,
	}}
	tbl, err := readJSONTable(t, []byte(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()

	tests := []struct {
		name string
		want []string
	}{
		{name: "id", want: []string{"7", "8"}},
		{name: "n", want: []string{"12", "true"}},
		{name: "when", want: []string{"2024-01-02T02:04:05.5Z", "2024-01-02T03:04:05Z"}},
		{name: "day", want: []string{"2024-02-29", "<null>"}},
		{name: "price", want: []string{"12.3", "0.5"}},
		{name: "any", want: []string{`{"x":1}`, "s"}},
		{name: "u", want: []string{"255", "0"}},
		{name: "f", want: []string{"1", "<null>"}},
		{name: "extra", want: []string{"<null>", "<null>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := columnStrings(t, tbl, tt.name)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if last := tbl.Schema().Field(int(tbl.NumCols()) - 1); last.Name != "extra" {
		t.Errorf("declared column never seen is not appended: %v", tbl.Schema())
	}
}

func TestNDJSONStrings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		key  string
		want string
	}{
		{name: "escapes", in: `{"s":"a\"b\\c\/d\b\f\n\r\t"}`, key: "s",
			want: "a\"b\\c/d\b\f\n\r\t"},
		{name: "surrogate pair", in: `{"s":"\ud83d\ude00 \u00e9"}`, key: "s", want: "😀 é"},
		{name: "lone surrogate", in: `{"s":"\ud800x"}`, key: "s", want: "\ufffdx"},
		{name: "escaped key", in: `{"k\u0000ey":"v"}`, key: "k\x00ey", want: "v"},
		{name: "raw utf-8 and U+2028", in: "{\"s\":\"日本\u2028\"}", key: "s",
			want: "日本\u2028"},
		{name: "BOM, CRLF and spaces", in: "\ufeff { \"s\" : \"x\" } \r\n", key: "s", want: "x"},
		{name: "duplicate key, last wins", in: `{"s":"a","s":"b"}`, key: "s", want: "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readJSONTable(t, []byte(tt.in), ReadOptions{Format: NDJSON})
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if got := columnStrings(t, tbl, tt.key); len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNDJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the written text; "" means the same as in
	}{
		{name: "big integers stay exact",
			in: `{"n":12345678901234567890}` + "\n" + `{"n":-9223372036854775809}` + "\n" +
				`{"n":1e400}` + "\n" + `{"n":null}` + "\n"},
		{name: "null, empty and missing",
			in: `{"a":null,"b":""}` + "\n" + `{"a":"","b":null}` + "\n" + `{"b":"x"}` + "\n",
			// Arrow has no "missing": a missing key is written as null.
			want: `{"a":null,"b":""}` + "\n" + `{"a":"","b":null}` + "\n" +
				`{"a":null,"b":"x"}` + "\n"},
		{name: "schema order, not alphabetical",
			in: `{"zeta":1,"alpha":2.5,"mid":true,"Beta":"q"}` + "\n"},
		{name: "integral floats stay floats",
			in: `{"f":2.0}` + "\n" + `{"f":-0.5}` + "\n" + `{"f":1e-7}` + "\n" +
				`{"f":1e+21}` + "\n"},
		{name: "int64 limits",
			in: `{"i":9223372036854775807}` + "\n" + `{"i":-9223372036854775808}` + "\n"},
		{name: "nested values",
			in: `{"o":{"b":[1,{"c":null}],"a":"\u00e9"}}` + "\n" + `{"o":[]}` + "\n"},
		{name: "strings that need escaping",
			in:   `{"s":"<a href=\"x\">&amp;</a>\u0001\u001f\u2028\u2029\t\u00e9\/"}` + "\n",
			want: `{"s":"<a href=\"x\">&amp;</a>\u0001\u001f\u2028\u2029\té/"}` + "\n"},
		{name: "empty object", in: "{}\n{}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readJSONTable(t, []byte(tt.in), ReadOptions{Format: NDJSON})
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			out := writeJSONTable(t, tbl, false)

			want := tt.want
			if want == "" {
				want = tt.in
			}
			if string(out) != want {
				t.Errorf("written text:\n got %s\nwant %s", out, want)
			}
			back, err := readJSONTable(t, out, ReadOptions{Format: NDJSON})
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if !tbl.Schema().Equal(back.Schema()) || !array.TableEqual(tbl, back) {
				t.Errorf("read, write, read changed the table:\n%s", out)
			}
		})
	}
}

func TestNDJSONBatchSizes(t *testing.T) {
	var in strings.Builder
	for i := range 10 {
		fmt.Fprintf(&in, "{\"i\":%d,\"s\":\"v%c\"}\n", i, 'a'+i)
	}
	ref, err := readJSONTable(t, []byte(in.String()), ReadOptions{Format: NDJSON})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Release()
	if ref.NumRows() != 10 {
		t.Fatalf("%d rows", ref.NumRows())
	}
	tests := []struct {
		name  string
		batch int
	}{
		{name: "1", batch: 1},
		{name: "3", batch: 3},
		{name: "default", batch: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readJSONTable(t, []byte(in.String()),
				ReadOptions{Format: NDJSON, BatchSize: tt.batch})
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if !array.TableEqual(ref, tbl) {
				t.Error("content differs from the default batch size")
			}
			if !bytes.Equal(writeJSONTable(t, ref, false), writeJSONTable(t, tbl, false)) {
				t.Error("written output differs")
			}
		})
	}
}

func TestNDJSONBooks(t *testing.T) {
	in, err := os.ReadFile("../testdata/kylo-userdata/json/books1.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		format Format
	}{
		{name: "ndjson", format: NDJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readJSONTable(t, in, ReadOptions{Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if tbl.NumRows() != 7 {
				t.Errorf("%d records, want 7", tbl.NumRows())
			}
			price := tbl.Schema().FieldIndices("price")
			if len(price) != 1 || tbl.Schema().Field(price[0]).Type.ID() != arrow.FLOAT64 {
				t.Errorf("price is not float64: %v", tbl.Schema())
			}
		})
	}
}

// jsonSuiteFiles returns the JSONTestSuite parsing files with prefix.
func jsonSuiteFiles(t *testing.T, prefix string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../testdata/JSONTestSuite/test_parsing",
		prefix+"*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("found %d %s files: %v", len(files), prefix, err)
	}
	return files
}

// readWithTimeout reads in, failing the test if it takes over 10 s.
func readWithTimeout(t *testing.T, in []byte, opt ReadOptions) (int64, error) {
	t.Helper()
	type result struct {
		rows int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		tbl, err := readJSONTable(t, in, opt)
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{rows: tbl.NumRows()}
		tbl.Release()
	}()
	select {
	case r := <-done:
		return r.rows, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("reader hangs")
	}
	return 0, nil
}

func TestNDJSONSuite(t *testing.T) {
	t.Run("n", func(t *testing.T) {
		for _, path := range jsonSuiteFiles(t, "n_") {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(path)
			t.Run(name, func(t *testing.T) {
				_, err := readWithTimeout(t, in, ReadOptions{Format: NDJSON, Name: name})
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("got %v, want a *ParseError", err)
				}
				if !strings.HasPrefix(err.Error(), name+": ") {
					t.Errorf("error does not name the file: %v", err)
				}
			})
		}
	})
	t.Run("i", func(t *testing.T) {
		for _, path := range jsonSuiteFiles(t, "i_") {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(filepath.Base(path), func(t *testing.T) {
				rows, err := readWithTimeout(t, in, ReadOptions{Format: NDJSON})
				t.Logf("rows %d, error %v", rows, err)
			})
		}
	})
	t.Run("y", func(t *testing.T) {
		for _, path := range jsonSuiteFiles(t, "y_") {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(path)
			t.Run(name, func(t *testing.T) {
				rows, err := readWithTimeout(t, in, ReadOptions{Format: NDJSON})
				trimmed := bytes.TrimSpace(in)
				if strings.HasPrefix(name, "y_object") && bytes.IndexByte(trimmed, '\n') < 0 {
					if err != nil || rows != 1 {
						t.Fatalf("got %d rows, %v; want one record", rows, err)
					}
					return
				}
				if trimmed[0] == '{' {
					// A multi-line object is not one NDJSON record.
					if err == nil {
						t.Fatalf("multi-line object read as %d records", rows)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), "not a JSON object") {
					t.Fatalf("got %v, want a not-an-object error", err)
				}
			})
		}
	})
}

// TestJSONSuiteValues embeds every JSONTestSuite document as a member value
// (`[{"k": <document>}]`) so that the value parser, not only the top-level
// object check, meets each case: y_ documents must parse, n_ must fail.
func TestJSONSuiteValues(t *testing.T) {
	for _, prefix := range []string{"y_", "n_", "i_"} {
		t.Run(prefix, func(t *testing.T) {
			for _, path := range jsonSuiteFiles(t, prefix) {
				doc, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Base(path)
				t.Run(name, func(t *testing.T) {
					in := append(append([]byte(`[{"k":`), doc...), "}]"...)
					_, err := readWithTimeout(t, in, ReadOptions{Format: JSON, Name: name})
					switch prefix {
					case "y_":
						if err != nil {
							t.Fatalf("valid value refused: %v", err)
						}
					case "n_":
						if err == nil {
							t.Fatal("invalid value accepted")
						}
					}
				})
			}
		})
	}
}

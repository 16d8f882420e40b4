package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const csvTestdata = "../testdata/csv"

// readAllCSV reads every batch of a CSV input. Each value is nil for a null,
// the text of a utf8 value, or ValueStr of any other type.
func readAllCSV(t *testing.T, input string, opt ReadOptions) ([]string, [][]any, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Format, opt.Mem = CSV, mem
	if opt.Name == "" {
		opt.Name = "test.csv"
	}

	r, err := NewReader(strings.NewReader(input), opt)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	names := make([]string, 0, r.Schema().NumFields())
	for _, f := range r.Schema().Fields() {
		names = append(names, f.Name)
	}
	var rows [][]any
	for r.Next() {
		rows = appendRows(rows, r.RecordBatch())
	}
	return names, rows, r.Err()
}

// appendRows appends the rows of rec to rows, in the form of readAllCSV.
func appendRows(rows [][]any, rec arrow.RecordBatch) [][]any {
	for i := range int(rec.NumRows()) {
		row := make([]any, rec.NumCols())
		for j, c := range rec.Columns() {
			switch {
			case c.IsNull(i):
				row[j] = nil
			case c.DataType().ID() == arrow.STRING:
				row[j] = c.(*array.String).Value(i)
			default:
				row[j] = c.ValueStr(i)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func readCSVFile(t *testing.T, path string, opt ReadOptions) ([]string, [][]any, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(csvTestdata, path))
	if err != nil {
		t.Fatal(err)
	}
	opt.Name = path
	return readAllCSV(t, string(b), opt)
}

// TestCSVSpectrum checks every csv-spectrum file against its expected JSON.
func TestCSVSpectrum(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(csvTestdata, "csv-spectrum", "csvs", "*.csv"))
	if err != nil || len(files) != 8 {
		t.Fatalf("want the 8 csv-spectrum files, got %d (%v)", len(files), err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".csv")
		t.Run(name, func(t *testing.T) {
			names, rows, err := readCSVFile(t, "csv-spectrum/csvs/"+name+".csv", ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(csvTestdata, "csv-spectrum", "json", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]string
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}

			// csv-spectrum has no nulls: its JSON gives "" where we read an
			// unquoted empty field as null, so null is compared as "" here.
			var got []map[string]string
			for _, row := range rows {
				m := map[string]string{}
				for j, v := range row {
					s, _ := v.(string)
					m[names[j]] = s
				}
				got = append(got, m)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
}

// csvFailure describes an expected *ParseError.
type csvFailure struct {
	line, row int64
	column    string
	cause     error
	text      string
}

// checkParseError checks that err is a *ParseError matching want.
func checkParseError(t *testing.T, err error, want csvFailure) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want a *ParseError", err)
	}
	if pe.Line != want.line || pe.Row != want.row || pe.Column != want.column {
		t.Errorf("got line %d row %d column %q, want line %d row %d column %q (%v)",
			pe.Line, pe.Row, pe.Column, want.line, want.row, want.column, err)
	}
	if want.cause != nil && !errors.Is(err, want.cause) {
		t.Errorf("got %v, want cause %v", err, want.cause)
	}
	if !strings.Contains(err.Error(), want.text) {
		t.Errorf("got %q, want it to contain %q", err, want.text)
	}
}

// TestCSVFixtures reads the csvkit and csv-parser files with the behaviour
// given in their SOURCE.md.
func TestCSVFixtures(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		opt   ReadOptions
		fail  *csvFailure
		cols  []string
		nrows int
		rows  map[int][]any // some rows, by 0-based index
	}{
		{name: "ragged long and short", file: "csvkit-examples/bad.csv",
			fail: &csvFailure{line: 2, row: 1, text: "row has 4 fields, header has 3"}},
		{name: "empty header name", file: "csvkit-examples/test_empty_columns.csv",
			fail: &csvFailure{line: 1, cause: errEmptyHeaderName, text: "header field 4"}},
		{name: "ragged without header", file: "csvkit-examples/test_empty_columns.csv",
			opt:  ReadOptions{CSV: CSVOptions{NoHeader: true}},
			fail: &csvFailure{line: 3, row: 3, text: "row has 4 fields, first row has 5"}},
		{name: "short row", file: "csvkit-examples/test_empty_columns_short_row.csv",
			fail: &csvFailure{line: 2, row: 1, text: "row has 2 fields, header has 3"}},
		{name: "mac CR line endings", file: "csvkit-examples/mac_newlines.csv",
			fail: &csvFailure{line: 1, cause: errBareCR, text: "field 3"}},
		{name: "null byte", file: "csvkit-examples/null_byte.csv",
			cols: []string{"a", "b", "c"}, nrows: 1, rows: map[int][]any{0: {"\x00", "2", "3"}}},
		{name: "latin1", file: "csvkit-examples/test_latin1.csv",
			fail: &csvFailure{line: 3, row: 2, column: "c", cause: errInvalidUTF8}},
		{name: "utf16", file: "csvkit-examples/test_utf16_little.csv",
			fail: &csvFailure{line: 1, cause: errInvalidUTF8, text: "field 1"}},
		{name: "gzip", file: "csvkit-examples/dummy.csv.gz",
			fail: &csvFailure{line: 1, cause: errInvalidUTF8}},
		{name: "utf8 BOM", file: "csvkit-examples/test_utf8_bom.csv",
			cols: []string{"foo", "bar", "baz"}, nrows: 2,
			rows: map[int][]any{1: {"4", "5", "ʤ"}}},
		{name: "header with newlines", file: "csvkit-examples/test_header_newline.csv",
			cols: []string{"\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r", "b", "c"}, nrows: 1,
			rows: map[int][]any{0: {"d", "e", "f"}}},
		{name: "only a newline", file: "csvkit-examples/empty.csv",
			fail: &csvFailure{line: 1, cause: errNoHeader, text: "no header"}},
		{name: "header only", file: "csvkit-examples/no_header_row.csv",
			cols: []string{"1", "2", "3"}, nrows: 0},
		{name: "header only 2", file: "csvkit-examples/no_header_row2.csv",
			cols: []string{"4", "5", "6"}, nrows: 0},
		{name: "no header option", file: "csvkit-examples/no_header_row.csv",
			opt:  ReadOptions{CSV: CSVOptions{NoHeader: true}},
			cols: []string{"col1", "col2", "col3"}, nrows: 1,
			rows: map[int][]any{0: {"1", "2", "3"}}},
		{name: "blanks stay text", file: "csvkit-examples/blanks.csv", nrows: 1,
			rows: map[int][]any{0: {nil, "NA", "N/A", "NONE", "NULL", "."}}},
		{name: "typed ints with null", file: "csvkit-examples/sort_ints_nulls.csv",
			opt:   ReadOptions{ColumnTypes: csvTypes("b", arrow.PrimitiveTypes.Int64)},
			nrows: 3, rows: map[int][]any{0: {"1", "2", "3"}, 1: {"4", nil, "6"}}},
		{name: "locale numbers", file: "csvkit-examples/test_locale.csv", nrows: 1,
			rows: map[int][]any{0: {"1,7", "200.000.000", nil}}},
		{name: "leading zeros", file: "csvkit-examples/test_no_leading_zeroes.csv", nrows: 1,
			rows: map[int][]any{0: {"01", "00.11", "0.1"}}},
		{name: "semicolon", file: "csvkit-examples/sniff_limit.csv",
			opt:  ReadOptions{CSV: CSVOptions{Delimiter: ';'}},
			cols: []string{"a", "b", "c"}, nrows: 1, rows: map[int][]any{0: {"1", "2", "3"}}},
		{name: "semicolon read with comma", file: "csvkit-examples/sniff_limit.csv",
			cols: []string{"a;b;c"}, nrows: 1},
		{name: "tab", file: "csvkit-examples/dummy.tsv",
			opt:  ReadOptions{CSV: CSVOptions{Delimiter: '\t'}},
			cols: []string{"a", "b", "c"}, nrows: 1, rows: map[int][]any{0: {"1", "2", "3"}}},
		{name: "date like number", file: "csvkit-examples/date_like_number.csv", nrows: 1,
			rows: map[int][]any{0: {"4.5"}}},
		{name: "date format", file: "csvkit-examples/test_date_format.csv", nrows: 2},
		{name: "numeric date format", file: "csvkit-examples/test_numeric_date_format.csv",
			nrows: 2, rows: map[int][]any{0: {"20140102"}}},
		{name: "precision", file: "csvkit-examples/test_precision.csv", nrows: 1,
			rows: map[int][]any{0: {"1.234567"}}},
		{name: "iris", file: "csvkit-examples/iris.csv", nrows: 150,
			rows: map[int][]any{149: {"5.9", "3.0", "5.1", "1.8", "Iris-virginica"}}},
		{name: "geo", file: "csvkit-examples/test_geo.csv", nrows: 17},
		{name: "strict", file: "csv-parser-fixtures/strict.csv",
			fail: &csvFailure{line: 4, row: 3, text: "row has 4 fields, header has 3"}},
		{name: "fewer columns", file: "csv-parser-fixtures/strict-false-less-columns.csv",
			fail: &csvFailure{line: 3, row: 2, text: "row has 2 fields, header has 3"}},
		{name: "junk before header", file: "csv-parser-fixtures/bad-data.csv",
			fail: &csvFailure{line: 1, cause: errEmptyHeaderName, text: "header field 1"}},
		{name: "junk without header", file: "csv-parser-fixtures/bad-data.csv",
			opt: ReadOptions{CSV: CSVOptions{NoHeader: true}}, nrows: 4,
			rows: map[int][]any{0: {nil, "somejunk", "<! />"}, 3: {"ok", "ok", "ok!"}}},
		{name: "comment line", file: "csv-parser-fixtures/comment.csv",
			fail: &csvFailure{line: 2, row: 1, text: "row has 3 fields, header has 1"}},
		{name: "tilde comment line", file: "csv-parser-fixtures/option-comment.csv",
			fail: &csvFailure{line: 2, row: 1, text: "row has 3 fields, header has 1"}},
		{name: "backtick read with comma", file: "csv-parser-fixtures/backtick.csv",
			cols: []string{"pokemon_id`p_desc"}, nrows: 2},
		{name: "backtick", file: "csv-parser-fixtures/backtick.csv",
			opt:  ReadOptions{CSV: CSVOptions{Delimiter: '`'}},
			cols: []string{"pokemon_id", "p_desc"}, nrows: 2,
			rows: map[int][]any{0: {"1", "Bulbasaur can be seen napping"}}},
		{name: "single quotes are data", file: "csv-parser-fixtures/option-quote-escape.csv",
			nrows: 3, rows: map[int][]any{0: {"1", `'some \'escaped\' value'`, "2"}}},
		{name: "escaped quotes", file: "csv-parser-fixtures/escape-quotes.csv", nrows: 3,
			rows: map[int][]any{0: {"1", `ha "ha" ha`}, 1: {"2", `""`}}},
		{name: "empty columns header", file: "csv-parser-fixtures/empty-columns.csv",
			fail: &csvFailure{line: 1, cause: errEmptyHeaderName, text: "header field 2"}},
		{name: "empty columns", file: "csv-parser-fixtures/empty-columns.csv",
			opt: ReadOptions{CSV: CSVOptions{NoHeader: true}}, nrows: 2,
			rows: map[int][]any{1: {"2007-01-02", nil, nil}}},
		{name: "numeric rows", file: "csv-parser-fixtures/headers.csv",
			opt: ReadOptions{CSV: CSVOptions{NoHeader: true}}, nrows: 3,
			rows: map[int][]any{2: {"7", "8", "9"}}},
		{name: "geojson", file: "csv-parser-fixtures/geojson.csv", nrows: 3,
			rows: map[int][]any{0: {nil, "value0", nil,
				`{"type": "Point", "coordinates": [102.0, 0.5]}`}}},
		{name: "large dataset", file: "csv-parser-fixtures/large-dataset.csv", nrows: 7268},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, rows, err := readCSVFile(t, tt.file, tt.opt)
			if tt.fail != nil {
				checkParseError(t, err, *tt.fail)
				if pe := (*ParseError)(nil); errors.As(err, &pe) && pe.File != tt.file {
					t.Errorf("got file %q, want %q", pe.File, tt.file)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.cols != nil && !reflect.DeepEqual(names, tt.cols) {
				t.Errorf("got columns %q, want %q", names, tt.cols)
			}
			if len(rows) != tt.nrows {
				t.Errorf("got %d rows, want %d", len(rows), tt.nrows)
			}
			for i, want := range tt.rows {
				if i >= len(rows) || !reflect.DeepEqual(rows[i], want) {
					t.Errorf("row %d: got %q, want %q", i, rowAt(rows, i), want)
				}
			}
		})
	}
}

// csvTypes declares one column type.
func csvTypes(name string, typ arrow.DataType) map[string]arrow.DataType {
	return map[string]arrow.DataType{name: typ}
}

func rowAt(rows [][]any, i int) []any {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

// TestCSVParse checks parsing of small inline inputs.
func TestCSVParse(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   ReadOptions
		cols  []string
		rows  [][]any
	}{
		{name: "null and empty", input: "a,b,c\n1,,\"\"\n",
			cols: []string{"a", "b", "c"}, rows: [][]any{{"1", nil, ""}}},
		{name: "no final newline", input: "a,b\n1,2", rows: [][]any{{"1", "2"}}},
		{name: "crlf", input: "a,b\r\n1,2\r\n,\r\n", rows: [][]any{{"1", "2"}, {nil, nil}}},
		{name: "quoted lf kept", input: "a,b\n\"x\ny\",2\n", rows: [][]any{{"x\ny", "2"}}},
		{name: "quoted crlf kept", input: "a,b\r\n\"x\r\ny\",2\r\n",
			rows: [][]any{{"x\r\ny", "2"}}},
		{name: "doubled quotes", input: "a\n\"say \"\"hi\"\"\"\n",
			rows: [][]any{{`say "hi"`}}},
		{name: "only quotes", input: "a\n\"\"\"\"\n", rows: [][]any{{`"`}}},
		{name: "spaces kept", input: "a,b\n  x ,\" y \"\n", rows: [][]any{{"  x ", " y "}}},
		{name: "exact csvDigits", input: "zip,phone,id\n02134,+1 (555) 010-0000," +
			"123456789012345678901234567890\n",
			rows: [][]any{{"02134", "+1 (555) 010-0000", "123456789012345678901234567890"}}},
		{name: "multibyte", input: "名前,ü\n日本,é\n", cols: []string{"名前", "ü"},
			rows: [][]any{{"日本", "é"}}},
		{name: "NUL is data", input: "a\nx\x00y\n", rows: [][]any{{"x\x00y"}}},
		{name: "blank lines skipped when wide", input: "a,b\n\n1,2\n\r\n\n",
			rows: [][]any{{"1", "2"}}},
		{name: "blank line is null when narrow", input: "a\n1\n\n\"\"\n",
			rows: [][]any{{"1"}, {nil}, {""}}},
		{name: "trailing delimiter", input: "a,b\n1,\n", rows: [][]any{{"1", nil}}},
		{name: "header only no newline", input: "a,b", cols: []string{"a", "b"}},
		{name: "BOM then header", input: "\xEF\xBB\xBFa,b\n1,2\n", cols: []string{"a", "b"},
			rows: [][]any{{"1", "2"}}},
		{name: "BOM kept after start", input: "a\n\xEF\xBB\xBFx\n", rows: [][]any{{"\ufeffx"}}},
		{name: "pipe and single quote",
			opt:   ReadOptions{CSV: CSVOptions{Delimiter: '|', Quote: '\''}},
			input: "a|b\n'x|''y'''|\"z\"\n", rows: [][]any{{"x|'y'", `"z"`}}},
		{name: "no header", opt: ReadOptions{CSV: CSVOptions{NoHeader: true}},
			input: "1,2\n3,4\n", cols: []string{"col1", "col2"},
			rows: [][]any{{"1", "2"}, {"3", "4"}}},
		{name: "no header blank first line", opt: ReadOptions{CSV: CSVOptions{NoHeader: true}},
			input: "\nx\n", cols: []string{"col1"}, rows: [][]any{{nil}, {"x"}}},
		{name: "long line", input: "a,b\n" + strings.Repeat("x", 200000) + ",\"" +
			strings.Repeat("y\n", 100000) + "\"\n",
			rows: [][]any{{strings.Repeat("x", 200000), strings.Repeat("y\n", 100000)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, rows, err := readAllCSV(t, tt.input, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if tt.cols != nil && !reflect.DeepEqual(names, tt.cols) {
				t.Errorf("got columns %q, want %q", names, tt.cols)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("got rows %q, want %q", rows, tt.rows)
			}
		})
	}
}

// TestCSVParseErrors checks that malformed inputs fail at the right place,
// without quoting the data.
func TestCSVParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   ReadOptions
		want  csvFailure
	}{
		{name: "empty file", input: "", want: csvFailure{line: 1, cause: errNoHeader}},
		{name: "only newline", input: "\n", want: csvFailure{line: 1, cause: errNoHeader}},
		{name: "only crlf", input: "\r\n", want: csvFailure{line: 1, cause: errNoHeader}},
		{name: "only BOM", input: "\xEF\xBB\xBF", want: csvFailure{line: 1, cause: errNoHeader}},
		{name: "empty without header", input: "",
			opt:  ReadOptions{CSV: CSVOptions{NoHeader: true}},
			want: csvFailure{line: 1, cause: errEmptyInput}},
		{name: "too many fields", input: "a,b,c\n1,2,3\n1,2,3,SECRET\n",
			want: csvFailure{line: 3, row: 2, text: "row has 4 fields, header has 3"}},
		{name: "too few fields", input: "a,b,c\n1,2\n",
			want: csvFailure{line: 2, row: 1, text: "row has 2 fields, header has 3"}},
		{name: "ragged after multiline", input: "a,b\n\"x\ny\",1\n\"p\r\nq\",2\n3\n",
			want: csvFailure{line: 6, row: 3, text: "row has 1 fields, header has 2"}},
		{name: "bare quote", input: "a,b\n1,SE\"CRET\n",
			want: csvFailure{line: 2, row: 1, column: "b", cause: errBareQuote}},
		{name: "bare quote in header", input: "a,b\"\n",
			want: csvFailure{line: 1, cause: errBareQuote, text: "field 2"}},
		{name: "bare quote in extra field", input: "a\n1,x\"\n",
			want: csvFailure{line: 2, row: 1, cause: errBareQuote, text: "field 2"}},
		{name: "text after closing quote", input: "a,b\n1,\"SECRET\"x\n",
			want: csvFailure{line: 2, row: 1, column: "b", cause: errAfterQuote}},
		{name: "unterminated", input: "a,b\n1,2\n3,\"SECRET\n\n",
			want: csvFailure{line: 3, row: 2, column: "b", cause: errUnterminated}},
		{name: "unterminated no newline", input: "a,b\n1,\"SECRET",
			want: csvFailure{line: 2, row: 1, column: "b", cause: errUnterminated}},
		{name: "invalid utf8", input: "a,b\n1,SECRET\xff\n",
			want: csvFailure{line: 2, row: 1, column: "b", cause: errInvalidUTF8}},
		{name: "invalid utf8 in multiline field", input: "a,b\n1,\"x\ny\nSECRET\xc3(\"\n",
			want: csvFailure{line: 4, row: 1, column: "b", cause: errInvalidUTF8}},
		{name: "invalid utf8 in header", input: "a,\xffb\n",
			want: csvFailure{line: 1, cause: errInvalidUTF8, text: "field 2"}},
		// A multibyte sequence cut by a delimiter is invalid in both fields.
		{name: "utf8 sequence split across fields", input: "a,b\n1\xc3,\xa9\n",
			want: csvFailure{line: 2, row: 1, column: "a", cause: errInvalidUTF8}},
		{name: "utf8 sequence split across header fields", input: "a\xc3,\xa9\n",
			want: csvFailure{line: 1, cause: errInvalidUTF8, text: "field 1"}},
		{name: "utf8 sequence split by a doubled quote", input: "a\n\"\xc3\"\"\xa9\"\n",
			want: csvFailure{line: 2, row: 1, column: "a", cause: errInvalidUTF8}},
		{name: "empty header name", input: "a,,c\n",
			want: csvFailure{line: 1, cause: errEmptyHeaderName, text: "header field 2"}},
		{name: "quoted empty header name", input: "a,\"\"\n",
			want: csvFailure{line: 1, cause: errEmptyHeaderName, text: "header field 2"}},
		{name: "duplicate header name", input: "a,b,a\n",
			want: csvFailure{line: 1,
				text: "header field 3: duplicate header name (same as field 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAllCSV(t, tt.input, tt.opt)
			checkParseError(t, err, tt.want)
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q quotes the data", err)
			}
		})
	}
}

// TestCSVErrorStops checks that a failed read ends the batches for good.
func TestCSVErrorStops(t *testing.T) {
	input := "a\n" + strings.Repeat("1\n", 10) + "x\"\n" + strings.Repeat("2\n", 10)
	r, err := NewReader(strings.NewReader(input), ReadOptions{Format: CSV, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	batches := 0
	for r.Next() {
		batches++
	}
	if batches != 2 || r.Err() == nil {
		t.Fatalf("got %d batches and error %v, want 2 batches and an error", batches, r.Err())
	}
	if r.Next() || r.RecordBatch() != nil || r.Err() == nil {
		t.Error("Next after an error must keep returning false with the error")
	}
}

// TestCSVBadOptions checks the options that are refused.
func TestCSVBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  ReadOptions
		text string
	}{
		{name: "multibyte delimiter", opt: ReadOptions{CSV: CSVOptions{Delimiter: '§'}},
			text: "delimiter"},
		{name: "newline quote", opt: ReadOptions{CSV: CSVOptions{Quote: '\n'}}, text: "quote"},
		{name: "same delimiter and quote", opt: ReadOptions{CSV: CSVOptions{Delimiter: '"'}},
			text: "differ"},
		{name: "unknown typed column", text: "not in the input",
			opt: ReadOptions{ColumnTypes: csvTypes("zz", arrow.PrimitiveTypes.Int64)}},
		{name: "unsupported type", text: "not supported",
			opt: ReadOptions{ColumnTypes: csvTypes("a", arrow.ListOf(arrow.BinaryTypes.String))}},
		{name: "bad time zone", text: "column \"a\"",
			opt: ReadOptions{ColumnTypes: csvTypes("a",
				&arrow.TimestampType{Unit: arrow.Second, TimeZone: "Nowhere/Atlantis"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAllCSV(t, "a,b\n1,2\n", tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("got %v, want an error containing %q", err, tt.text)
			}
		})
	}
}

// TestCSVBatchBoundaries reads the same inputs with several batch sizes.
func TestCSVBatchBoundaries(t *testing.T) {
	inline := "a,b\n1,\"x\ny\"\n\n2,\"\"\n3,\n\"4\r\n\",z\n5,6\n7,8\n9,10\n11,12\n"
	large, err := os.ReadFile(filepath.Join(csvTestdata, "csv-parser-fixtures",
		"large-dataset.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input string
		nrows int
	}{
		{name: "inline", input: inline, nrows: 8},
		{name: "large dataset", input: string(large), nrows: 7268},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, want, err := readAllCSV(t, tt.input, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != tt.nrows {
				t.Fatalf("got %d rows, want %d", len(want), tt.nrows)
			}
			for _, size := range []int{1, 2, 7} {
				counts, got := readBatches(t, tt.input, size)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("batch size %d: content differs from the default", size)
				}
				for i, n := range counts {
					if n > size || (n < size && i < len(counts)-1) || n == 0 {
						t.Errorf("batch size %d: batch %d has %d rows", size, i, n)
					}
				}
			}
		})
	}
}

// readBatches reads input in batches of size rows and returns the row count
// of each batch and all rows.
func readBatches(t *testing.T, input string, size int) ([]int, [][]any) {
	t.Helper()
	r, err := NewReader(strings.NewReader(input), ReadOptions{Format: CSV, BatchSize: size})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var counts []int
	var rows [][]any
	for r.Next() {
		counts = append(counts, int(r.RecordBatch().NumRows()))
		rows = appendRows(rows, r.RecordBatch())
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return counts, rows
}

// csvBenchInput returns a 12-column CSV of n rows resembling the target
// workload: ids, names, emails, zips with leading zeros, quoted notes.
func csvBenchInput(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,first_name,last_name,email,phone,ssn,birth_date,zip,city," +
		"salary,signup,note\n")
	notes := []string{"", "plain note here", `"quoted, with ""comma"""`, strings.Repeat("x", 40)}
	for i := range n {
		fmt.Fprintf(&b, "%d,John%d,Doe%d,john%d@example.com,+1 (555) 010-%04d,123-45-%04d,"+
			"1980-01-%02d,0%04d,Springfield,%d.50,2024-01-07T00:00:%02dZ,%s\n",
			i, i%97, i%89, i, i%10000, i%10000, i%28+1, i%10000, i, i%60, notes[i%4])
	}
	return b.Bytes()
}

// BenchmarkCSVRead reads a 12-column table of text columns, and of typed
// columns, on one goroutine and on GOMAXPROCS workers.
func BenchmarkCSVRead(b *testing.B) {
	const rows = 400000 // several batches, so that scanning ahead shows
	input := csvBenchInput(rows)
	typed := map[string]arrow.DataType{
		"id":         arrow.PrimitiveTypes.Int64,
		"birth_date": arrow.FixedWidthTypes.Date32,
		"salary":     arrow.PrimitiveTypes.Float64,
		"signup":     &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"},
	}
	for _, types := range []struct {
		name  string
		types map[string]arrow.DataType
	}{{"text", nil}, {"typed", typed}} {
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			name := fmt.Sprintf("%s/workers=%d", types.name, workers)
			b.Run(name, func(b *testing.B) {
				benchmarkCSVRead(b, input, rows, types.types, workers)
			})
		}
	}
}

func benchmarkCSVRead(b *testing.B, input []byte, rows int64, types map[string]arrow.DataType,
	workers int) {
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	opt := ReadOptions{Format: CSV, BatchSize: DefaultBatchSize, ColumnTypes: types}
	for b.Loop() {
		r, err := newCSVReaderWorkers(bytes.NewReader(input), opt, workers)
		if err != nil {
			b.Fatal(err)
		}
		n := int64(0)
		for r.Next() {
			n += r.RecordBatch().NumRows()
		}
		if r.Err() != nil || n != rows {
			b.Fatalf("read %d rows: %v", n, r.Err())
		}
		r.Close()
	}
	b.ReportMetric(float64(rows*int64(b.N))/b.Elapsed().Seconds(), "rows/s")
}

// TestCSVReadFailure checks that an I/O error stops the reader and is kept.
func TestCSVReadFailure(t *testing.T) {
	boom := errors.New("boom")
	input := io.MultiReader(strings.NewReader("a,b\n1,2\n3,"), iotest.ErrReader(boom))
	r, err := NewReader(input, ReadOptions{Format: CSV, Name: "in.csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Next() {
		t.Error("Next succeeded on a failed read")
	}
	if !errors.Is(r.Err(), boom) {
		t.Errorf("got %v, want the read error", r.Err())
	}
}

// TestCSVRecordSizeIsBounded: an unterminated quote near the start of a big
// file fails once the record passes the limit, instead of reading the rest of
// the file into memory.
func TestCSVRecordSizeIsBounded(t *testing.T) {
	row := strings.Repeat("x", 1<<16) + "\n"
	for _, tc := range []struct {
		name, head string
	}{
		{"unterminated quote", "id,note\n1,\"open"},
		{"one endless line", "id,note\n1,"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.head
			if tc.name == "one endless line" {
				row = strings.TrimSuffix(row, "\n")
			}
			r := io.MultiReader(strings.NewReader(body),
				&repeatReader{s: row, n: MaxCSVRecordBytes/len(row) + 10})
			rd, err := NewReader(r, ReadOptions{Format: CSV, Name: "big.csv"})
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			for rd.Next() {
			}
			var pe *ParseError
			if !errors.As(rd.Err(), &pe) || !strings.Contains(pe.Error(), "longer than") {
				t.Errorf("error = %v, want a record-too-long ParseError", rd.Err())
			}
		})
	}
}

// repeatReader yields s n times.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.s[r.off:])
	r.off += k
	if r.off == len(r.s) {
		r.off = 0
		r.n--
	}
	return k, nil
}

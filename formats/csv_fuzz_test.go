package formats

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// csvFuzzDialects are the dialects FuzzCSVRoundTrip picks from.
var csvFuzzDialects = []CSVOptions{
	{},
	{Delimiter: ';', Quote: '\''},
	{Delimiter: '\t'},
	{NoHeader: true},
}

// FuzzCSVRoundTrip parses arbitrary input; when it parses, the batches are
// written back as CSV and parsed again, and both parses must agree, nulls
// and empty strings apart.
func FuzzCSVRoundTrip(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,,\"\"\n",
		"a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\n",
		"\xEF\xBB\xBFa\n\n\"\"\n x \n",
		"a;b\n'it''s';\"q\"\n",
		"a\tb\n1\t2\n",
		"a,b\n1,2,3\n",
		"a,b\n\"open\n",
		"a\nx\x00\r",
		"",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i))
	}
	f.Fuzz(func(t *testing.T, input []byte, dialect uint8) {
		opt := ReadOptions{Format: CSV, BatchSize: 3,
			CSV: csvFuzzDialects[int(dialect)%len(csvFuzzDialects)]}
		names, rows, out, err := csvParseAndWrite(input, opt)
		if err != nil {
			return
		}
		names2, rows2, out2, err := csvParseAndWrite(out, opt)
		if err != nil {
			t.Fatalf("output of %q does not parse: %v\noutput: %q", input, err, out)
		}
		if !reflect.DeepEqual(names, names2) || !reflect.DeepEqual(rows, rows2) {
			t.Fatalf("round trip of %q differs:\n%q %q\n%q %q", input, names, rows, names2, rows2)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("writing is not stable: %q then %q", out, out2)
		}
	})
}

// csvParseAndWrite reads input and writes its batches back with the same
// dialect; it returns the names and rows read and the text written.
func csvParseAndWrite(input []byte, opt ReadOptions) ([]string, [][]any, []byte, error) {
	r, err := NewReader(bytes.NewReader(input), opt)
	if err != nil {
		return nil, nil, nil, err
	}
	defer r.Close()
	names := make([]string, 0, r.Schema().NumFields())
	for _, fld := range r.Schema().Fields() {
		names = append(names, fld.Name)
	}

	var buf bytes.Buffer
	w, err := NewWriter(&buf, r.Schema(), WriteOptions{Format: CSV, CSV: opt.CSV})
	if err != nil {
		return nil, nil, nil, err
	}
	var rows [][]any
	for r.Next() {
		rows = appendRows(rows, r.RecordBatch())
		if err := w.Write(r.RecordBatch()); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := r.Err(); err != nil {
		return nil, nil, nil, err
	}
	if err := w.Close(); err != nil {
		return nil, nil, nil, err
	}
	return names, rows, buf.Bytes(), nil
}

// TestCSVFuzzSeedsParse makes sure the fuzz seeds that should parse do, so
// that the fuzz target does not silently skip everything.
func TestCSVFuzzSeedsParse(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   CSVOptions
	}{
		{name: "null and empty", input: "a,b,c\n1,,\"\"\n"},
		{name: "crlf", input: "a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\n"},
		{name: "single quote", input: "a;b\n'it''s';\"q\"\n",
			opt: CSVOptions{Delimiter: ';', Quote: '\''}},
		{name: "no header", input: "\nx\n", opt: CSVOptions{NoHeader: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ReadOptions{Format: CSV, CSV: tt.opt}
			_, rows, out, err := csvParseAndWrite([]byte(tt.input), opt)
			if err != nil || len(rows) == 0 {
				t.Fatalf("got %d rows, error %v", len(rows), err)
			}
			if !strings.HasSuffix(string(out), "\n") {
				t.Errorf("output %q does not end in a newline", out)
			}
		})
	}
}

package formats

import (
	"reflect"
	"strings"
	"testing"
)

// TestCSVFirstRecord checks how the first record is read: CR-only line
// endings and header fields shaped like personal data are refused with an
// error that names the place and quotes none of the input, with or without
// a header; mixed LF and CRLF endings, and a CR inside quotes, are read.
func TestCSVFirstRecord(t *testing.T) {
	// looksLikeData stands in for the caller's detectors (cmd/anon uses
	// package detect): a name with "@" or "+" is data.
	looksLikeData := func(name string) string {
		if strings.ContainsAny(name, "@+") {
			return "data"
		}
		return ""
	}
	checked := ReadOptions{HeaderCheck: looksLikeData}
	noHeader := ReadOptions{CSV: CSVOptions{NoHeader: true}, HeaderCheck: looksLikeData}
	tests := []struct {
		name   string
		input  string
		opt    ReadOptions
		fail   *csvFailure
		secret []string // text of the input that no error may quote
		cols   []string
		rows   [][]any
	}{
		{name: "CR-only endings", input: "name,mail\rann,ann@x.com\rbob,bob@y.org\r",
			fail:   &csvFailure{line: 1, cause: errBareCR, text: "field 2"},
			secret: []string{"ann", "bob", "mail"}},
		{name: "CR-only endings, no header", input: "ann,ann@x.com\rbob,bob@y.org\r",
			opt:    noHeader,
			fail:   &csvFailure{line: 1, row: 1, cause: errBareCR, text: "field 2"},
			secret: []string{"ann", "bob"}},
		{name: "CR-only single column", input: "id\r17\r18\r",
			fail:   &csvFailure{line: 1, cause: errBareCR, text: "field 1"},
			secret: []string{"17", "18"}},
		{name: "CR-only with quotes", input: "\"a\",b\r\"x\",y\r",
			fail: &csvFailure{line: 1, cause: errBareCR, text: "field 2"}},
		{name: "header ends in bare CR", input: "a,b\r", opt: noHeader,
			fail: &csvFailure{line: 1, row: 1, cause: errBareCR, text: "field 2"}},
		{name: "mixed LF and CRLF", input: "a,b\r\n1,2\n3,4\r\n5,6\n",
			cols: []string{"a", "b"}, rows: [][]any{{"1", "2"}, {"3", "4"}, {"5", "6"}}},
		{name: "mixed endings, no header", input: "1,2\n3,4\r\n", opt: noHeader,
			cols: []string{"col1", "col2"}, rows: [][]any{{"1", "2"}, {"3", "4"}}},
		{name: "quoted CR in first row", input: "\"x\ry\",2\n", opt: noHeader,
			cols: []string{"col1", "col2"}, rows: [][]any{{"x\ry", "2"}}},
		{name: "bare CR in a later row", input: "a,b\nqq\rzz,2\r\n",
			fail:   &csvFailure{line: 2, row: 1, column: "a", cause: errBareCR},
			secret: []string{"qq", "zz"}},
		{name: "CR-only endings after an LF header, one column",
			input:  "email\nalice@corp.com\rbob@corp.com\rcarol@corp.com\n",
			fail:   &csvFailure{line: 2, row: 1, column: "email", cause: errBareCR},
			secret: []string{"alice", "bob", "carol"}},
		{name: "CR-only endings, quoted fields",
			input:  "\"id\",\"mail\"\r\"1\",\"ann@x.com\"\r",
			fail:   &csvFailure{line: 1, cause: errBareCR, text: "field 2"},
			secret: []string{"ann"}},
		{name: "email as header", opt: checked, input: "alice@example.com,42\nbob@example.org,37\n",
			fail:   &csvFailure{line: 1, cause: errHeaderLooksLikeData, text: "field 1"},
			secret: []string{"alice", "example", "42"}},
		{name: "phone as header", opt: checked, input: "id,+44 20 7946 0958\n1,2\n",
			fail:   &csvFailure{line: 1, cause: errHeaderLooksLikeData, text: "field 2"},
			secret: []string{"7946", "0958"}},
		{name: "BOM then email header", opt: checked, input: "\xef\xbb\xbfalice@example.com,x\n1,2\n",
			fail:   &csvFailure{line: 1, cause: errHeaderLooksLikeData, text: "field 1"},
			secret: []string{"alice"}},
		{name: "email first row, no header", input: "alice@example.com,42\n", opt: noHeader,
			cols: []string{"col1", "col2"}, rows: [][]any{{"alice@example.com", "42"}}},
		{name: "ordinary header kept", opt: checked,
			input: "email,phone,first_name,ssn\n1,2,3,4\n",
			cols:  []string{"email", "phone", "first_name", "ssn"},
			rows:  [][]any{{"1", "2", "3", "4"}}},
		{name: "no check without HeaderCheck", input: "a@b.c,x\n1,2\n",
			cols: []string{"a@b.c", "x"}, rows: [][]any{{"1", "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, rows, err := readAllCSV(t, tt.input, tt.opt)
			if tt.fail != nil {
				if err == nil {
					t.Fatalf("got columns %q, want an error", cols)
				}
				checkParseError(t, err, *tt.fail)
				for _, s := range tt.secret {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error %q quotes the input (%q)", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cols, tt.cols) {
				t.Errorf("got columns %q, want %q", cols, tt.cols)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("got rows %q, want %q", rows, tt.rows)
			}
		})
	}
}

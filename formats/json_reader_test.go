package formats

import (
	"errors"
	"strings"
	"testing"
)

func TestJSONArrayReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		batch   int
		rows    int64
		cols    int
		errLine int64  // when > 0, an error at this line is expected
		errText string // contained in the error
	}{
		{name: "two objects", in: `[{"a":1},{"a":2}]`, rows: 2, cols: 1},
		{name: "multi-line, batch 1", batch: 1, rows: 3, cols: 2,
			in: "\ufeff[\n  {\"a\": 1, \"b\": \"x\"},\n  {\"a\": 2,\n   \"b\": null},\n  {}\n]\n"},
		{name: "empty array", in: " [ ] \n", errLine: 1, errText: "no JSON records"},
		{name: "brackets inside strings", in: `[{"a":"]}{["},{"a":"\"]"}]`, rows: 2, cols: 1},
		{name: "not an array", in: `{"a":1}`, errLine: 1, errText: "not a JSON array"},
		{name: "empty input", in: "  \n", errLine: 2, errText: "empty input"},
		{name: "element not an object", in: "[{\"a\":1},\n 2]", errLine: 2,
			errText: "not a JSON object"},
		{name: "trailing comma", in: "[{\"a\":1},\n]", errLine: 2, errText: "not a JSON object"},
		{name: "unclosed array", in: "[{\"a\":1}\n", errLine: 2, errText: "unexpected end"},
		{name: "missing comma", in: `[{"a":1} {"a":2}]`, errLine: 1, errText: "expected ','"},
		{name: "garbage after the array", in: "[{\"a\":1}]\nx", errLine: 2,
			errText: "after the JSON array"},
		{name: "error inside an element names its line", in: "[{\"a\":1},\n{\"a\":\n\n tru}]",
			errLine: 4, errText: "invalid JSON at byte 2"},
		{name: "mismatched bracket", in: `[{"a":[1}]`, errLine: 1, errText: "mismatched"},
		{name: "type conflict after inference", batch: 1,
			in: "[{\"a\":1},\n{\"a\":\"x\"}]", errLine: 2, errText: "does not fit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readJSONTable(t, []byte(tt.in),
				ReadOptions{Format: JSON, Name: "in.json", BatchSize: tt.batch})
			if tt.errLine > 0 {
				if err == nil {
					tbl.Release()
					t.Fatal("no error")
				}
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != tt.errLine || pe.File != "in.json" {
					t.Fatalf("got %v, want a ParseError at line %d", err, tt.errLine)
				}
				if !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("error %q does not contain %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if tbl.NumRows() != tt.rows || int(tbl.NumCols()) != tt.cols {
				t.Fatalf("got %d rows x %d columns, want %d x %d",
					tbl.NumRows(), tbl.NumCols(), tt.rows, tt.cols)
			}
		})
	}
}

func TestJSONArrayValues(t *testing.T) {
	in := `[{"a":1,"b":"x"},{"a":2,"b":null}]`
	tbl, err := readJSONTable(t, []byte(in), ReadOptions{Format: JSON})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tests := []struct {
		name string
		want string
	}{
		{name: "a", want: "1|2"},
		{name: "b", want: "x|<null>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(columnStrings(t, tbl, tt.name), "|"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Written back as an array, it reads the same.
	out := writeJSONTable(t, tbl, true)
	if want := "[{\"a\":1,\"b\":\"x\"},\n{\"a\":2,\"b\":null}]\n"; string(out) != want {
		t.Errorf("wrote %q, want %q", out, want)
	}
}

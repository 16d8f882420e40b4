package formats

import (
	"errors"
	"testing"
)

// FuzzNDJSONReader checks that the NDJSON reader never panics, that its errors
// are ParseErrors for bad data, and that whatever it reads writes back and
// reads again to the same table.
func FuzzNDJSONReader(f *testing.F) {
	for _, seed := range []string{
		`{"a":1,"b":"x","c":true,"d":null,"e":1.5}`,
		"{\"a\":1}\n{\"a\":2}\n\n{\"b\":\"\"}",
		`{"n":12345678901234567890,"o":{"x":[1,{"y":null}]}}`,
		`{"s":"\ud83d\ude00\u0000\n\"","k\u00e9":[]}`,
		"\ufeff{}\r\n{}",
		`{"a":[[[[[[[[[[]]]]]]]]]]}`,
		`{"a":1}{"a":2}`,
		`[1,2]`,
		`{"a":"\ud800"}`,
		`{"a":-0.0e-0}`,
		"{\"a\":\"\xff\"}",
		`{"a":1}` + "\n" + `{"a":"x"}`,
	} {
		f.Add([]byte(seed), 2)
	}
	f.Fuzz(func(t *testing.T, in []byte, batch int) {
		batch = 1 + (batch&7+8)%8
		opt := ReadOptions{Format: NDJSON, Name: "fuzz", BatchSize: batch}
		tbl, err := readJSONTable(t, in, opt)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			return
		}
		defer tbl.Release()
		out := writeJSONTable(t, tbl, false)
		back, err := readJSONTable(t, out, ReadOptions{Format: NDJSON, BatchSize: batch})
		if err != nil {
			t.Fatalf("written output does not read back: %v\n%q", err, out)
		}
		defer back.Release()
		if back.NumRows() != tbl.NumRows() || back.NumCols() != tbl.NumCols() {
			t.Fatalf("read back %dx%d, want %dx%d", back.NumRows(), back.NumCols(),
				tbl.NumRows(), tbl.NumCols())
		}
	})
}

package formats

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// readLines reads text with the lines reader and returns the rows.
func readLines(t *testing.T, text string, batch int) []string {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), ReadOptions{Format: Lines, Name: "t.log",
		BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if f := r.Schema().Field(0); f.Name != LinesColumn {
		t.Fatalf("column %q", f.Name)
	}
	var out []string
	for r.Next() {
		col := r.RecordBatch().Column(0).(*array.String)
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) {
				t.Fatal("null line")
			}
			out = append(out, col.Value(i))
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLinesReader(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"\n", []string{""}},
		{"a", []string{"a"}},
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb\r\n\r\nc", []string{"a", "b", "", "c"}},
		{"a\rb\n", []string{"a\rb"}},
		{"\xef\xbb\xbfx,\"y\"\n", []string{"x,\"y\""}},
		{" \tpadded \n\xff\n", []string{" \tpadded ", "\xff"}},
	} {
		for _, batch := range []int{1, 2, 100} {
			got := readLines(t, c.in, batch)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
				t.Errorf("%q (batch %d): got %q, want %q", c.in, batch, got, c.want)
			}
		}
	}
	long := strings.Repeat("x", 300<<10)
	if got := readLines(t, long+"\nend", 10); len(got) != 2 || got[0] != long {
		t.Error("long line not read whole")
	}
}

func TestLinesRoundTrip(t *testing.T) {
	in := "first\n\nthird, with \"quotes\"\r\nlast"
	r, err := NewReader(strings.NewReader(in), ReadOptions{Format: Lines, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	w, err := NewWriter(&out, r.Schema(), WriteOptions{Format: Lines, Name: "out"})
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		if err := w.Write(r.RecordBatch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "first\n\nthird, with \"quotes\"\nlast\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	if f, err := Detect("app.log", "", ""); err != nil || f != Lines {
		t.Errorf("Detect(app.log) = %v, %v", f, err)
	}
	if _, err := NewWriter(&out, arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String}, {Name: "b", Type: arrow.BinaryTypes.String},
	}, nil), WriteOptions{Format: Lines}); err == nil {
		t.Error("two columns accepted")
	}
}

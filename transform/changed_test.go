package transform

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestCountChanged(t *testing.T) {
	mem := memory.NewGoAllocator()
	cases := []struct {
		name    string
		in, out []any
		want    int64
	}{
		{"same text", []any{"a", "b", ""}, []any{"a", "b", ""}, 0},
		{"text without nulls", []any{"a", "b", "c"}, []any{"a", "x", ""}, 2},
		{"null became value", []any{nil, "b"}, []any{"a", "b"}, 1},
		{"value became null", []any{"a", "b"}, []any{"a", nil}, 1},
		{"null stays null", []any{nil, "b"}, []any{nil, "c"}, 1},
		{"empty is not null", []any{"", nil}, []any{nil, ""}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, out := txStringArray(mem, c.in), txStringArray(mem, c.out)
			defer in.Release()
			defer out.Release()
			if got := countChanged(in, out); got != c.want {
				t.Errorf("countChanged = %d, want %d", got, c.want)
			}
		})
	}
}

package profiles

import (
	"errors"
	"testing"

	"github.com/anon-data/anon/transform"
)

// TestUniqueRejected covers field reports B04 and B05: a strategy that can
// give distinct values the same output is refused on a `unique: true` column
// when the profile is read, before any data, with the line, the path
// columns.<name>.unique and a strategy that would keep uniqueness.
func TestUniqueRejected(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "B05 mask keeping a prefix",
			src: "version: 1\ncolumns:\n  balance: keep\n" +
				"  account_id: {strategy: mask, keep_first: 6, unique: true}\n",
			want: []string{"p.yaml:4:", "columns.account_id.unique", "mask",
				"tokenize", "hash"},
		},
		{
			name: "B04 fake first names cannot be unique",
			src: "version: 1\ncolumns:\n" +
				"  name: {strategy: fake, kind: first_name, unique: true}\n",
			want: []string{"p.yaml:3:", "columns.name.unique", "first_name", "tokenize"},
		},
		{
			name: "short hash",
			src: "version: 1\ncolumns:\n" +
				"  id:\n    strategy: hash\n    length: 16\n    unique: true\n",
			want: []string{"p.yaml:6:", "columns.id.unique", "64 bits", "at least 24"},
		},
		{
			name: "constant",
			src:  "version: 1\ncolumns:\n  id: {strategy: constant, value: x, unique: true}\n",
			want: []string{"columns.id.unique", "constant"},
		},
		{
			name: "not a boolean",
			src:  "version: 1\ncolumns:\n  id: {strategy: keep, unique: maybe}\n",
			want: []string{"columns.id.unique", "want true or false"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := parseError(t, tc.src, tc.want)
			if tc.name != "not a boolean" && !errors.Is(err, transform.ErrNotUnique) {
				t.Errorf("error %v does not wrap transform.ErrNotUnique", err)
			}
		})
	}
}

func TestUniqueAccepted(t *testing.T) {
	src := `version: 1
columns:
  email: {strategy: tokenize, namespace: customer_email, unique: true}
  id: {strategy: hash, unique: true}
  ref: {strategy: hash, encoding: base32, length: 20, unique: true}
  code: {strategy: keep, unique: true}
  note: {strategy: mask, unique: false}
`
	p, err := Parse([]byte(src), "p.yaml", ".")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, c := range p.Columns {
		if want := c.Name != "note"; c.Unique != want {
			t.Errorf("column %s: Unique = %v, want %v", c.Name, c.Unique, want)
		}
	}
}

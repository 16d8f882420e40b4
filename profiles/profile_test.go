package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/transform"
)

func TestParseValid(t *testing.T) {
	src := `version: 1
columns:
  id: keep
  "marital-status": keep
  notes: drop
  country: {strategy: constant, value: Nowhere}
  age: {strategy: keep, type: int64}
`
	p, err := Parse([]byte(src), "p.yaml", ".")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	var names []string
	for _, c := range p.Columns {
		names = append(names, c.Name+"="+c.Strategy)
	}
	want := "id=keep marital-status=keep notes=drop country=constant age=keep"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("columns = %q, want %q", got, want)
	}
	if p.Default != "error" {
		t.Errorf("default = %q, want error", p.Default)
	}
	if got := p.ColumnTypes()["age"]; !arrow.TypeEqual(got, arrow.PrimitiveTypes.Int64) {
		t.Errorf("declared type of age = %v, want int64", got)
	}
	if p.Columns[3].Line != 6 {
		t.Errorf("line of country = %d, want 6", p.Columns[3].Line)
	}
	if len(p.SHA256) != 64 {
		t.Errorf("SHA256 = %q, want 64 hex digits", p.SHA256)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each must appear in the error text
	}{
		{
			name: "unknown strategy names line and path",
			src:  "version: 1\ncolumns:\n  id: keep\n  email: {strategy: scramble}\n",
			want: []string{"p.yaml:4:", "columns.email.strategy", "unknown strategy"},
		},
		{
			name: "unknown option names the option",
			src:  "version: 1\ncolumns:\n  c: {strategy: constant, value: x, colour: red}\n",
			want: []string{"p.yaml:3:", "columns.c.colour", "no such option"},
		},
		{
			name: "missing required option",
			src:  "version: 1\ncolumns:\n  c: {strategy: constant}\n",
			want: []string{"columns.c.value", "required"},
		},
		{
			name: "wrong option type",
			src:  "version: 1\ncolumns:\n  c: {strategy: constant, value: x, fill_nulls: 3}\n",
			want: []string{"columns.c.fill_nulls", "want bool"},
		},
		{
			name: "missing version",
			src:  "columns:\n  id: keep\n",
			want: []string{"version", "missing"},
		},
		{
			name: "future version",
			src:  "version: 7\ncolumns:\n  id: keep\n",
			want: []string{"version 7 is not supported"},
		},
		{
			name: "unknown top-level key",
			src:  "version: 1\ncolums:\n  id: keep\n",
			want: []string{"p.yaml:2:", "colums", "unknown key", "columns", "missing"},
		},
		{
			name: "column named twice",
			src:  "version: 1\ncolumns:\n  id: keep\n  id: drop\n",
			want: []string{"p.yaml", "4:3", "already defined"},
		},
		{
			name: "bad default",
			src:  "version: 1\ndefault: pass\ncolumns:\n  id: keep\n",
			want: []string{"default", "want one of error, keep, null, drop"},
		},
		{
			name: "bad declared type",
			src:  "version: 1\ncolumns:\n  id: {strategy: keep, type: uint128}\n",
			want: []string{"columns.id.type", "unknown type"},
		},
		{
			name: "empty entry",
			src:  "version: 1\ncolumns:\n  id:\n  b: keep\n",
			want: []string{"columns.id", "no strategy given"},
		},
		{
			name: "entry without strategy",
			src:  "version: 1\ncolumns:\n  id: {type: int64}\n",
			want: []string{"columns.id", "missing `strategy`"},
		},
		{
			name: "not yaml",
			src:  "version: 1\ncolumns: [\n",
			want: []string{"p.yaml", "not valid YAML"},
		},
		{
			name: "all problems at once",
			src:  "version: 1\ncolumns:\n  a: {strategy: nope}\n  b: {strategy: constant}\n",
			want: []string{"columns.a.strategy", "columns.b.value"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := parseError(t, tc.src, tc.want)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *profiles.Error", err)
			}
		})
	}
}

func TestRulesDefault(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "extra", Type: arrow.BinaryTypes.String},
	}, nil)

	tests := []struct {
		name    string
		dflt    string
		wantErr string
		wantCol int
	}{
		{name: "no default lists missing columns", dflt: "", wantErr: "extra"},
		{name: "default keep", dflt: "default: keep\n", wantCol: 2},
		{name: "default drop", dflt: "default: drop\n", wantCol: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte("version: 1\n"+tc.dflt+"columns:\n  id: keep\n"), "p", ".")
			if err != nil {
				t.Fatal(err)
			}
			plan, err := transform.NewPlan(schema, p.Rules(schema))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("NewPlan error = %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Columns) != tc.wantCol {
				t.Errorf("output columns = %d, want %d", len(plan.Columns), tc.wantCol)
			}
		})
	}
}

// TestExamples loads every example profile, so a shipped example can never
// be invalid.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example profiles found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := os.Stat(f); err != nil {
				t.Fatal(err)
			}
			if _, err := Load(f); err != nil {
				t.Errorf("Load: %v", err)
			}
		})
	}
}

// parseError parses src, which must fail with an error mentioning each of
// want, and returns the error.
func parseError(t *testing.T, src string, want []string) error {
	t.Helper()
	_, err := Parse([]byte(src), "p.yaml", ".")
	if err == nil {
		t.Fatal("Parse succeeded, want an error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	return err
}

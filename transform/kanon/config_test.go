package kanon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// decode decodes a k_anonymity section as the profile parser does.
func decode(text string) (*Config, error) {
	var doc struct {
		KAnonymity *Config `yaml:"k_anonymity"`
	}
	err := yaml.UnmarshalWithOptions([]byte(text), &doc, yaml.Strict(), yaml.DisallowUnknownField())
	return doc.KAnonymity, err
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // substring of the error; "" means valid
	}{
		{name: "valid", yaml: "k_anonymity: {k: 5, quasi_identifiers: {zip: {mask_suffix: true}}}"},
		{name: "all keys", yaml: `k_anonymity:
  k: 5
  suppression_limit: 0.02
  metric: loss
  method: local
  suppressed: star
  l_diversity: {column: occupation, l: 2}
  quasi_identifiers:
    age: {hierarchy: age.csv, separator: ";"}
    zip: {mask_suffix: true}
    salary: {intervals: [5, 10, 20]}
    birth_date: {dates: true}`},
		{name: "k zero", yaml: "k_anonymity: {k: 0, quasi_identifiers: {zip: {mask_suffix: true}}}",
			want: "k_anonymity.k: must be at least 1"},
		{name: "limit above 1", yaml: "k_anonymity: {k: 2, suppression_limit: 1.5, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}",
			want: "k_anonymity.suppression_limit"},
		{name: "unknown metric", yaml: "k_anonymity: {k: 2, metric: foo, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}", want: "k_anonymity.metric"},
		{name: "unknown method", yaml: "k_anonymity: {k: 2, method: foo, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}", want: "k_anonymity.method"},
		{name: "unknown suppressed", yaml: "k_anonymity: {k: 2, suppressed: foo, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}", want: "k_anonymity.suppressed"},
		{name: "no qi", yaml: "k_anonymity: {k: 2}", want: "k_anonymity.quasi_identifiers"},
		{name: "two kinds", yaml: "k_anonymity: {k: 2, quasi_identifiers: " +
			"{zip: {mask_suffix: true, dates: true}}}",
			want: "k_anonymity.quasi_identifiers.zip: give only one"},
		{name: "no kind", yaml: "k_anonymity: {k: 2, quasi_identifiers: {zip: {}}}",
			want: "k_anonymity.quasi_identifiers.zip: give a hierarchy"},
		{name: "bad widths",
			yaml: "k_anonymity: {k: 2, quasi_identifiers: {age: {intervals: [5, 7]}}}",
			want: "k_anonymity.quasi_identifiers.age: intervals: width 2 must be a multiple"},
		{name: "separator without file", yaml: "k_anonymity: {k: 2, quasi_identifiers: " +
			"{zip: {mask_suffix: true, separator: ','}}}",
			want: "k_anonymity.quasi_identifiers.zip: separator"},
		{name: "sensitive is qi", yaml: "k_anonymity: {k: 2, l_diversity: {column: zip, l: 2}, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}",
			want: "k_anonymity.l_diversity.column"},
		{name: "l zero", yaml: "k_anonymity: {k: 2, l_diversity: {column: d, l: 0}, " +
			"quasi_identifiers: {zip: {mask_suffix: true}}}", want: "k_anonymity.l_diversity.l"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := decode(tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestConfigMisspeltKey(t *testing.T) {
	tests := []struct {
		name string
		yaml string
	}{
		{name: "top", yaml: "k_anonymity: {k: 2, supression_limit: 0.1}"},
		{name: "qi", yaml: "k_anonymity: {k: 2, quasi_identifiers: {zip: {mask_sufix: true}}}"},
		{name: "l", yaml: "k_anonymity: {k: 2, l_diversity: {col: x, l: 2}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decode(tt.yaml); err == nil {
				t.Error("a misspelt key was accepted")
			}
		})
	}
}

func TestConfigLoad(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{name: "ok", file: "a;*\nb;*\n"},
		{name: "ragged", file: "a;x;*\nb;*\n", want: "c.hierarchy: hierarchy line 2"},
		{name: "read error", file: "", want: "k_anonymity.quasi_identifiers.c.hierarchy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{K: 2,
				QuasiIdentifiers: map[string]*QuasiIdentifier{"c": {Hierarchy: "c.csv"}}}
			err := cfg.Load(func(path string) ([]byte, error) {
				if tt.file == "" {
					return nil, os.ErrNotExist
				}
				return []byte(tt.file), nil
			})
			if (tt.want == "") != (err == nil) ||
				(err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestExampleProfile decodes the example profile's k_anonymity section as
// the profile parser does, loads its hierarchies relative to the profile,
// and checks the figures of the issue.
func TestExampleProfile(t *testing.T) {
	path := filepath.Join("..", "..", "profiles", "examples", "adult-kanon.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version    int               `yaml:"version"`
		Columns    map[string]string `yaml:"columns"`
		KAnonymity *Config           `yaml:"k_anonymity"`
	}
	err = yaml.UnmarshalWithOptions(data, &doc, yaml.Strict(), yaml.DisallowUnknownField())
	if err != nil {
		t.Fatal(err)
	}
	cfg := doc.KAnonymity
	if err := cfg.Load(func(p string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(path), p))
	}); err != nil {
		t.Fatal(err)
	}
	tab := loadAdult(t)
	for _, h := range tab.header {
		if _, ok := doc.Columns[h]; !ok {
			t.Errorf("the profile does not name column %s", h)
		}
	}
	res, err := Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(0)})
	if err != nil {
		t.Fatal(err)
	}
	if rep := res.Report(); rep.Metrics.DM != 9268952 || rep.Suppressed != 60 {
		t.Errorf("DM %v with %d suppressed, want 9268952 with 60", rep.Metrics.DM, rep.Suppressed)
	}
}

// TestValueNotInHierarchy checks that a value missing from a file hierarchy
// is an error naming the column, not the value.
func TestValueNotInHierarchy(t *testing.T) {
	tab := table{header: []string{"c"}, rows: [][]string{{"a"}, {"SECRET-VALUE"}}}
	cfg := &Config{K: 1, QuasiIdentifiers: map[string]*QuasiIdentifier{"c": {Hierarchy: "c.csv"}}}
	if err := cfg.Load(func(string) ([]byte, error) { return []byte("a;*\n"), nil }); err != nil {
		t.Fatal(err)
	}
	_, err := Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(0)})
	if err == nil || !strings.Contains(err.Error(), "quasi_identifiers.c") ||
		strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %v, want one naming the column and not the value", err)
	}

	// Intervals over text fail the same way.
	cfg = &Config{K: 1,
		QuasiIdentifiers: map[string]*QuasiIdentifier{"c": {Intervals: []float64{10}}}}
	_, err = Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(0)})
	if err == nil || !strings.Contains(err.Error(), "quasi_identifiers.c") ||
		strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %v, want one naming the column and not the value", err)
	}
}

// TestLatticeTooLarge checks that the global method refuses a lattice it
// cannot search, and that the local method handles it.
func TestLatticeTooLarge(t *testing.T) {
	tab := table{header: []string{"a", "b", "c", "d", "e"}}
	long := strings.Repeat("x", 40)
	for i := 0; i < 10; i++ {
		tab.rows = append(tab.rows, []string{long, long, long, long, long})
	}
	tests := []struct {
		name    string
		method  string
		wantErr error
	}{
		{name: "global", method: MethodGlobal, wantErr: ErrTooLarge},
		{name: "local", method: MethodLocal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{K: 2, Method: tt.method, QuasiIdentifiers: map[string]*QuasiIdentifier{}}
			for _, h := range tab.header {
				cfg.QuasiIdentifiers[h] = &QuasiIdentifier{MaskSuffix: true}
			}
			_, err := Prepare(context.Background(), cfg, &sliceSource{batches: tab.batches(0)})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

package transform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/goccy/go-yaml"
)

// fuzzStrategy is one column of a strategy's documented example, built.
type fuzzStrategy struct {
	name     string // strategy and column, for messages
	column   string
	by       string // another column the strategy reads, or ""
	strategy Strategy
}

// exampleStrategies builds every column of every registered strategy's
// Example, the way a profile would.
func exampleStrategies(t testing.TB) []fuzzStrategy {
	t.Helper()
	var out []fuzzStrategy
	for _, spec := range Specs() {
		var entries map[string]any
		if err := yaml.Unmarshal([]byte(spec.Example), &entries); err != nil {
			t.Fatalf("%s: example is not YAML: %v", spec.Name, err)
		}
		if len(entries) == 0 {
			t.Fatalf("%s: empty example", spec.Name)
		}
		for column, v := range entries {
			raw := map[string]any{}
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					switch k {
					case "strategy", "type", "unique":
					default:
						raw[k] = x
					}
				}
			}
			s, err := txTryBuild(spec, column, raw)
			if err != nil {
				t.Fatalf("%s: building the example for %q: %v", spec.Name, column, err)
			}
			by, _ := raw["by"].(string)
			out = append(out, fuzzStrategy{name: spec.Name + "/" + column, column: column,
				by: by, strategy: s})
		}
	}
	return out
}

// FuzzStrategies applies every registered strategy, built from its example,
// to arbitrary text: it must never panic, and an error must never contain
// the value.
func FuzzStrategies(f *testing.F) {
	for _, seed := range []string{"", "a", "42", "-1.5e308", "1e309", "NaN", "2024-02-29",
		"2024-02-30T25:61:61Z", "jane.doe@example.com", "@", "a@b@c", "\xff\xfe",
		"\u0301\u0301", "4111-1111-1111-1111", "  007  ", "0x1F", "9223372036854775808",
		strings.Repeat("é", 300), "\x00", "+1 (555) 010-0000"} {
		f.Add(seed)
	}
	strategies := exampleStrategies(f)
	secret := NewSecret([]byte("fuzz-secret-key-0123456789abcdef"))
	f.Fuzz(func(t *testing.T, value string) {
		mem := memory.NewGoAllocator()
		w := NewWorker(secret, mem)
		for _, fs := range strategies {
			applyFuzz(t, w, fs, value)
		}
	})
}

// applyFuzz applies fs to a batch of value, null and value.
func applyFuzz(t *testing.T, w *Worker, fs fuzzStrategy, value string) {
	t.Helper()
	if typ, err := fs.strategy.OutputType(arrow.BinaryTypes.String); err != nil || typ == nil {
		return // drop, or a strategy that refuses text
	}
	names := []string{fs.column}
	if fs.by != "" && fs.by != fs.column {
		names = append(names, fs.by)
	}
	fields := make([]arrow.Field, len(names))
	cols := make([]arrow.Array, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
		cols[i] = txStringArray(w.Mem, []any{value, nil, value})
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, 3)
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()

	var out arrow.Array
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
				t.Fatalf("%s panicked on %q: %v", fs.name, value, p)
			}
		}()
		out, err = fs.strategy.Apply(w, Input{Batch: rec, Column: 0})
	}()
	if err != nil {
		if len(value) >= 16 && strings.Contains(err.Error(), value) {
			t.Fatalf("%s: error quotes the value: %v", fs.name, err)
		}
		return
	}
	defer out.Release()
	if out.Len() != 3 {
		t.Fatalf("%s: %d output rows for 3", fs.name, out.Len())
	}
}

package transform

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestBigIntegersAreNotCorrupted: noise and ranges work in float64; an
// integer beyond 2^53 must fail with a row error, never come out changed by
// rounding or unchanged by accident.
func TestBigIntegersAreNotCorrupted(t *testing.T) {
	w := NewWorker(NewSecret([]byte("test-key-0123456789")), nil)
	texts := []string{"123456789012345678901234567890", "9223372036854775808", "9007199254740993"}
	ints := []int64{-9223372036854775000, 9223372036854775807}

	for _, tc := range []struct {
		name string
		raw  map[string]any
		spec *Spec
	}{
		{"noise", map[string]any{"scale": 1.0}, noiseSpec},
		{"generalize", map[string]any{"bucket": uint64(1000)}, generalizeSpec},
	} {
		opts, errs := tc.spec.Parse("v", tc.raw)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		s, err := tc.spec.New(opts)
		if err != nil {
			t.Fatal(err)
		}

		sb := array.NewStringBuilder(memory.DefaultAllocator)
		ib := array.NewInt64Builder(memory.DefaultAllocator)
		for _, v := range texts {
			sb.Append(v)
		}
		ib.AppendValues(ints, nil)
		for _, arr := range []arrow.Array{sb.NewArray(), ib.NewArray()} {
			for i := 0; i < arr.Len(); i++ {
				one := array.NewSlice(arr, int64(i), int64(i+1))
				schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: one.DataType()}}, nil)
				b := array.NewRecordBatch(schema, []arrow.Array{one}, 1)
				_, err := s.Apply(w, Input{Batch: b, Column: 0})
				var re *RowError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), "too large") {
					t.Errorf("%s on %s: error = %v, want a row error", tc.name, one.ValueStr(0), err)
				}
				if err != nil && strings.Contains(err.Error(), one.ValueStr(0)) {
					t.Errorf("%s: the error contains the value", tc.name)
				}
			}
		}
	}
}

package transform

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Helpers shared by the mask, hash and fake tests. They build strategies
// through the profile path (Spec.Parse, then Spec.New) and apply them to
// Arrow string arrays; a nil entry in a []any of values is a null.

// txBuild parses raw as the options of column and builds the strategy.
func txBuild(t testing.TB, spec *Spec, column string, raw map[string]any) Strategy {
	t.Helper()
	s, err := txTryBuild(spec, column, raw)
	if err != nil {
		t.Fatalf("building %s for %q: %v", spec.Name, column, err)
	}
	return s
}

// txTryBuild is txBuild returning the first error instead of failing.
func txTryBuild(spec *Spec, column string, raw map[string]any) (Strategy, error) {
	o, errs := spec.Parse(column, raw)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return spec.New(o)
}

// txWorker returns a worker keyed with key (none if empty) on a checked
// allocator, and checks at cleanup that every Arrow buffer was released.
func txWorker(t testing.TB, key string) *Worker {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return NewWorker(NewSecret([]byte(key)), mem)
}

// txStringArray builds a utf8 array of vals.
func txStringArray(mem memory.Allocator, vals []any) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		b.Append(v.(string))
	}
	return b.NewArray()
}

// txBatch wraps arr in a one-column batch named column.
func txBatch(column string, arr arrow.Array) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: column, Type: arr.DataType(), Nullable: true},
	}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
}

// txApply applies s to vals in a column named column and returns the output
// values, nil for nulls. It checks the output type against OutputType.
func txApply(t testing.TB, s Strategy, w *Worker, column string, vals []any) []any {
	t.Helper()
	out, err := txTryApply(s, w, column, vals, 0)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return out
}

// txTryApply is txApply returning the error, with the batch at offset.
func txTryApply(s Strategy, w *Worker, column string, vals []any, offset int64) ([]any, error) {
	arr := txStringArray(w.Mem, vals)
	defer arr.Release()
	batch := txBatch(column, arr)
	defer batch.Release()

	want, err := s.OutputType(arr.DataType())
	if err != nil {
		return nil, err
	}
	res, err := s.Apply(w, Input{Batch: batch, Column: 0, Offset: offset})
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if !arrow.TypeEqual(res.DataType(), want) {
		return nil, errors.New("output type differs from OutputType")
	}
	if res.Len() != len(vals) {
		return nil, errors.New("output length differs from input length")
	}

	str := res.(*array.String)
	out := make([]any, res.Len())
	for i := range out {
		if !str.IsNull(i) {
			out[i] = str.Value(i)
		}
	}
	return out, nil
}

// txStrings turns strings into a []any of values.
func txStrings(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

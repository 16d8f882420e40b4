package transform

import (
	"errors"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestMapStringRows checks the direct string path of mapTextRows against
// the same values appended to an Arrow builder: on sliced inputs (a
// non-zero offset), with nulls, empty strings and outputs longer and
// shorter than the inputs, and that an error from fn is returned.
func TestMapStringRows(t *testing.T) {
	mem := memory.NewGoAllocator()
	b := array.NewStringBuilder(mem)
	for i := range 300 {
		switch {
		case i%7 == 0:
			b.AppendNull()
		case i%5 == 0:
			b.Append("")
		default:
			b.Append(fmt.Sprintf("value-%d", i*i))
		}
	}
	full := b.NewArray()
	defer full.Release()

	// out is what fn writes for row i: sometimes nothing, sometimes more.
	out := func(v string, i int) string {
		switch i % 3 {
		case 0:
			return ""
		case 1:
			return v + "-" + v
		}
		return v[:len(v)/2]
	}
	w := NewWorker(NewSecret([]byte("test-key-0123456789")), mem)
	for _, cut := range [][2]int64{{0, 300}, {3, 300}, {9, 17}, {64, 64}, {299, 300}} {
		arr := array.NewSlice(full, cut[0], cut[1])
		schema := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.BinaryTypes.String,
			Nullable: true}}, nil)
		rec := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
		in := Input{Batch: rec, Column: 0}
		strs := arr.(*array.String)

		got, err := mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
			return append(dst, out(strs.Value(i), i)...), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := array.NewStringBuilder(mem)
		for i := range arr.Len() {
			if arr.IsNull(i) {
				want.AppendNull()
			} else {
				want.Append(out(strs.Value(i), i))
			}
		}
		wantArr := want.NewArray()
		if err := got.(*array.String).ValidateFull(); err != nil {
			t.Fatalf("slice %v: invalid output: %v", cut, err)
		}
		if !array.Equal(got, wantArr) || got.NullN() != wantArr.NullN() {
			t.Fatalf("slice %v: got %v, want %v", cut, got, wantArr)
		}
		got.Release()
		wantArr.Release()
		want.Release()

		boom := errors.New("boom")
		if _, err := mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
			return dst, boom
		}); arr.Len() > arr.NullN() && !errors.Is(err, boom) {
			t.Fatalf("slice %v: error %v, want boom", cut, err)
		}
		rec.Release()
		arr.Release()
	}
}

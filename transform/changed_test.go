package transform

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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

// TestShortestText checks shortestText against the text form of extreme
// and ordinary dates and timestamps of every unit, and that countChanged
// still counts a value whose output equals its text form as unchanged.
func TestShortestText(t *testing.T) {
	mem := memory.NewGoAllocator()
	days := []int32{math.MinInt32, -719162, -365, -1, 0, 1, 365, 2932896, math.MaxInt32}
	b32 := array.NewDate32Builder(mem)
	for _, d := range days {
		b32.Append(arrow.Date32(d))
	}
	b64 := array.NewDate64Builder(mem)
	for _, d := range days {
		b64.Append(arrow.Date64(int64(d) * 86400000))
	}
	arrs := []arrow.Array{b32.NewArray(), b64.NewArray()}
	instants := []int64{math.MinInt64, -62135596800, -1, 0, 1, 1700000000, math.MaxInt64}
	for _, unit := range []arrow.TimeUnit{arrow.Second, arrow.Millisecond, arrow.Microsecond,
		arrow.Nanosecond} {
		for _, tz := range []string{"", "UTC", "America/New_York", "Asia/Kolkata"} {
			b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: unit, TimeZone: tz})
			for _, v := range instants {
				b.Append(arrow.Timestamp(v))
			}
			arrs = append(arrs, b.NewArray())
		}
	}

	checked := 0
	for _, arr := range arrs {
		least := shortestText(arr)
		if least == 0 {
			t.Fatalf("%s: no bound", arr.DataType())
		}
		for i := range arr.Len() {
			if s := arr.ValueStr(i); len(s) < least {
				t.Fatalf("%s: %q is shorter than %d", arr.DataType(), s, least)
			}
			checked++
		}

		// Output equal to the text form: unchanged; shorter: changed.
		same, short := array.NewStringBuilder(mem), array.NewStringBuilder(mem)
		for i := range arr.Len() {
			same.Append(arr.ValueStr(i))
			short.Append(arr.ValueStr(i)[:least-1])
		}
		sameArr, shortArr := same.NewArray(), short.NewArray()
		if got := countChanged(arr, sameArr); got != 0 {
			t.Errorf("%s: %d changed against its own text, want 0", arr.DataType(), got)
		}
		if got := countChanged(arr, shortArr); got != int64(arr.Len()) {
			t.Errorf("%s: %d changed against shortened text, want %d", arr.DataType(), got,
				arr.Len())
		}
	}
	if checked < 130 {
		t.Fatalf("only %d values checked", checked)
	}
}

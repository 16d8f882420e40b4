package transform

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// countChanged counts the rows where out differs from in: a different value,
// or a null on one side only. Arrays of different types compare by their
// text form.
func countChanged(in, out arrow.Array) int64 {
	if a, ok := in.(*array.String); ok {
		if b, ok := out.(*array.String); ok && a.NullN() == 0 && b.NullN() == 0 {
			return countChangedStrings(a, b)
		}
	}

	var n int64
	inVal, outVal := valuesOf(in), valuesOf(out)
	same := sameValue(in, out)
	shortest := shortestText(in)
	for i := 0; i < in.Len(); i++ {
		inNull, outNull := in.IsNull(i), out.IsNull(i)
		switch {
		case inNull && outNull:
		case inNull != outNull:
			n++
		case same != nil:
			if !same(i) {
				n++
			}
		default:
			// An output shorter than any text form of the input differs
			// from it without formatting the input value.
			o := outVal(i)
			if len(o) < shortest || !bytes.Equal(inVal(i), o) {
				n++
			}
		}
	}
	return n
}

// shortestText is a lower bound on the length of the text form (ValueStr)
// of any value of arr: dates are written 2006-01-02 (a year below 1000 is
// zero-padded to four digits, and a negative one takes a sign), timestamps
// start with a date and a time. TestShortestText checks it on extreme
// values.
func shortestText(arr arrow.Array) int {
	switch arr.(type) {
	case *array.Date32, *array.Date64:
		return len("2006-01-02")
	case *array.Timestamp:
		return len("2006-01-02 15:04:05")
	}
	return 0
}

// sameValue returns a fast comparison for arrays of one primitive type, or
// nil to fall back to the text form.
func sameValue(in, out arrow.Array) func(i int) bool {
	if !arrow.TypeEqual(in.DataType(), out.DataType()) {
		return nil
	}
	switch a := in.(type) {
	case *array.Int64:
		b := out.(*array.Int64)
		return func(i int) bool { return a.Value(i) == b.Value(i) }
	case *array.Int32:
		b := out.(*array.Int32)
		return func(i int) bool { return a.Value(i) == b.Value(i) }
	case *array.Float64:
		b := out.(*array.Float64)
		return func(i int) bool { return a.Value(i) == b.Value(i) }
	case *array.Date32:
		b := out.(*array.Date32)
		return func(i int) bool { return a.Value(i) == b.Value(i) }
	case *array.Timestamp:
		b := out.(*array.Timestamp)
		return func(i int) bool { return a.Value(i) == b.Value(i) }
	}
	return nil
}

// countChangedStrings is the common case of countChanged, text in and text
// out without nulls, in a loop without calls.
func countChangedStrings(in, out *array.String) int64 {
	var n int64
	for i := 0; i < in.Len(); i++ {
		if in.Value(i) != out.Value(i) {
			n++
		}
	}
	return n
}

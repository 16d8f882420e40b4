package transform

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
)

// This file holds the shared loops of the strategies that read numbers and
// dates written as text (noise, generalize): blank text passes through as it
// is, text that does not parse is a row error, and nulls stay nulls.

// mapTextNumbers calls fn for every non-blank value of a text column with
// its parsed number. Integers beyond 2^53, which float64 arithmetic would
// change, are a row error here, once for every caller.
func mapTextNumbers(w *Worker, in Input,
	fn func(dst []byte, i int, s []byte, x textNumber) ([]byte, error)) (arrow.Array, error) {
	value := valuesOf(in.Array())
	return mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
		s := value(i)
		t := trimSpaceBytes(s)
		if len(t) == 0 {
			return append(dst, s...), nil
		}
		x, ok := parseTextNumber(t)
		if !ok {
			return dst, rowError(in, i, errValueNotNumber)
		}
		if !x.point && !x.exp && math.Abs(x.v) >= exactIntLimit {
			return dst, rowError(in, i, errIntegerTooLarge)
		}
		return fn(dst, i, s, x)
	})
}

// mapTextDates calls fn for every non-blank value of a text column with its
// parsed date.
func mapTextDates(w *Worker, in Input,
	fn func(dst []byte, i int, s []byte, d textDate) ([]byte, error)) (arrow.Array, error) {
	value := valuesOf(in.Array())
	return mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
		s := value(i)
		t := trimSpaceBytes(s)
		if len(t) == 0 {
			return append(dst, s...), nil
		}
		d, ok := parseTextDate(t)
		if !ok {
			return dst, rowError(in, i, errValueNotDate)
		}
		return fn(dst, i, s, d)
	})
}

package transform

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
)

// This file holds the shared loop of the strategies that read numbers and
// dates written as text (noise, generalize): blank text passes through as it
// is, text that does not parse is a row error naming the row and column,
// and nulls stay nulls.

// mapTextParsed calls fn for every non-blank value of a text column with
// the value parse made of it; a parse error becomes a row error.
func mapTextParsed[T any](w *Worker, in Input, parse func([]byte) (T, error),
	fn func(dst []byte, i int, s []byte, v T) ([]byte, error)) (arrow.Array, error) {
	value := valuesOf(in.Array())
	return mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
		s := value(i)
		t := trimSpaceBytes(s)
		if len(t) == 0 {
			return append(dst, s...), nil
		}
		v, err := parse(t)
		if err != nil {
			return dst, rowError(in, i, err)
		}
		return fn(dst, i, s, v)
	})
}

// parseExactNumber parses a text number for float64 arithmetic. Integers
// beyond 2^53, which that arithmetic would change, are refused.
func parseExactNumber(t []byte) (textNumber, error) {
	x, ok := parseTextNumber(t)
	if !ok {
		return x, errValueNotNumber
	}
	if !x.point && !x.exp && math.Abs(x.v) >= exactIntLimit {
		return x, errIntegerTooLarge
	}
	return x, nil
}

// parseDate parses a text date or date-time.
func parseDate(t []byte) (textDate, error) {
	d, ok := parseTextDate(t)
	if !ok {
		return d, errValueNotDate
	}
	return d, nil
}

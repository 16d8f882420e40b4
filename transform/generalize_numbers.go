package transform

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

var (
	negInf = math.Inf(-1)
	posInf = math.Inf(1)
)

// exactIntLimit is the magnitude below which every integer is exact in a
// float64 and safe in int64 range arithmetic.
const exactIntLimit = 1 << 53

// numberRanges is a validated bucket/top/bottom generalization.
type numberRanges struct {
	bucket      float64 // 0: no bucketing
	intBucket   int64   // bucket as an integer, 0 when not integral
	bottom, top float64 // ±Inf when unset
	decimals    int     // decimals of [lo, hi) labels
	bottomLabel string
	topLabel    string
}

// NewGeneralizeRanges returns a strategy that writes numbers as ranges of
// width bucket (0 for none), with top- and bottom-coding: values >= top are
// written ">=top" and values < bottom "<bottom" (pass math.Inf(1) and
// math.Inf(-1) for none). At least one of the three must be set.
//
// Ranges start at multiples of bucket. Integer values (integer Arrow types,
// integer text) with an integral bucket give closed ranges "30-39"; other
// values give [lo, hi) ranges written with a fixed number of decimals,
// "30.0-40.0" (at least one, more if bucket, top or bottom need them). A
// range that crosses top or bottom is clipped: with bucket 10 and top 95,
// 93 is "90-94". Without bucket, values between bottom and top are written
// unchanged.
func NewGeneralizeRanges(bucket, bottom, top float64) (*Generalize, error) {
	if !(bucket >= 0) || math.IsInf(bucket, 0) {
		return nil, paramErrorf("bucket", "must be a finite number greater than 0")
	}
	if math.IsNaN(bottom) || math.IsInf(bottom, 1) {
		return nil, paramErrorf("bottom", "must be a number")
	}
	if math.IsNaN(top) || math.IsInf(top, -1) {
		return nil, paramErrorf("top", "must be a number")
	}
	if bottom >= top {
		return nil, paramErrorf("bottom", "must be less than top")
	}
	if bucket == 0 && math.IsInf(bottom, -1) && math.IsInf(top, 1) {
		return nil, paramErrorf("bucket", "set bucket, top or bottom")
	}

	r := &numberRanges{bucket: bucket, bottom: bottom, top: top}
	if bucket == math.Trunc(bucket) && bucket < exactIntLimit {
		r.intBucket = int64(bucket)
	}
	r.decimals = max(1, decimalsOf(bucket), decimalsOf(bottom), decimalsOf(top))
	r.bottomLabel = "<" + strconv.FormatFloat(bottom, 'f', -1, 64)
	r.topLabel = ">=" + strconv.FormatFloat(top, 'f', -1, 64)
	return &Generalize{mode: generalizeRanges, ranges: r}, nil
}

// decimalsOf returns the number of decimals in the shortest form of x.
func decimalsOf(x float64) int {
	if math.IsInf(x, 0) {
		return 0
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// appendLabel writes the label of v and reports true, or reports false when v
// lies between bottom and top and there is no bucket, so v stays as it is.
// isInt says v is an integer held exactly in iv.
func (r *numberRanges) appendLabel(dst []byte, v float64, iv int64, isInt bool) ([]byte, bool) {
	switch {
	case v >= r.top:
		return append(dst, r.topLabel...), true
	case v < r.bottom:
		return append(dst, r.bottomLabel...), true
	case r.bucket == 0:
		return dst, false
	case isInt && r.intBucket != 0:
		lo := floorDiv(iv, r.intBucket) * r.intBucket
		hi := lo + r.intBucket - 1
		if math.Abs(r.top) < exactIntLimit {
			hi = min(hi, int64(math.Ceil(r.top))-1)
		}
		if math.Abs(r.bottom) < exactIntLimit {
			lo = max(lo, int64(math.Ceil(r.bottom)))
		}
		dst = strconv.AppendInt(dst, lo, 10)
		dst = append(dst, '-')
		return strconv.AppendInt(dst, hi, 10), true
	}

	lo := math.Floor(snap(v/r.bucket)) * r.bucket
	hi := math.Min(lo+r.bucket, r.top)
	lo = math.Max(lo, r.bottom) + 0 // +0 turns -0 into 0
	dst = strconv.AppendFloat(dst, lo, 'f', r.decimals, 64)
	dst = append(dst, '-')
	return strconv.AppendFloat(dst, hi, 'f', r.decimals, 64), true
}

// apply writes the labels of a text or numeric column.
func (r *numberRanges) apply(w *Worker, in Input) (arrow.Array, error) {
	switch in.Array().DataType().ID() {
	case arrow.INT8:
		return rangeValues[int8](r, w, in, true)
	case arrow.INT16:
		return rangeValues[int16](r, w, in, true)
	case arrow.INT32:
		return rangeValues[int32](r, w, in, true)
	case arrow.INT64:
		return rangeValues[int64](r, w, in, true)
	case arrow.UINT8:
		return rangeValues[uint8](r, w, in, true)
	case arrow.UINT16:
		return rangeValues[uint16](r, w, in, true)
	case arrow.UINT32:
		return rangeValues[uint32](r, w, in, true)
	case arrow.UINT64:
		return rangeValues[uint64](r, w, in, true)
	case arrow.FLOAT32:
		return rangeValues[float32](r, w, in, false)
	case arrow.FLOAT64:
		return rangeValues[float64](r, w, in, false)
	}

	return mapTextParsed(w, in, parseExactNumber,
		func(dst []byte, _ int, s []byte, x textNumber) ([]byte, error) {
			isInt := !x.point && !x.exp
			dst, ok := r.appendLabel(dst, x.v, int64(x.v), isInt)
			if !ok {
				dst = append(dst, s...)
			}
			return dst, nil
		})
}

func rangeValues[T noiseNumber](r *numberRanges, w *Worker, in Input,
	isInt bool) (arrow.Array, error) {
	arr := in.Array().(valueArray[T])
	return mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
		x := arr.Value(i)
		v := float64(x)
		if v != v { // NaN has no range
			return strconv.AppendFloat(dst, v, 'f', -1, 64), nil
		}
		if isInt && math.Abs(v) >= exactIntLimit {
			return dst, rowError(in, i, errIntegerTooLarge)
		}
		dst, ok := r.appendLabel(dst, v, int64(x), isInt)
		if ok {
			return dst, nil
		}
		switch y := any(x).(type) {
		case float32:
			return strconv.AppendFloat(dst, float64(y), 'f', -1, 32), nil
		case float64:
			return strconv.AppendFloat(dst, y, 'f', -1, 64), nil
		case uint64:
			return strconv.AppendUint(dst, y, 10), nil
		}
		return strconv.AppendInt(dst, int64(x), 10), nil
	})
}

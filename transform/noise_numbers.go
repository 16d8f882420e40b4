package transform

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

var errValueNotNumber = errors.New("not a number")

// Distribution is the shape of numeric noise.
type Distribution string

// The noise distributions.
const (
	// Laplace noise with scale b has mean absolute deviation b.
	Laplace Distribution = "laplace"

	// Gaussian noise with scale sigma has standard deviation sigma.
	Gaussian Distribution = "gaussian"
)

// NumberNoise configures noise on numbers. Scale and Relative are exclusive:
// the noise size is Scale, or Relative × |value| when Relative is not zero.
type NumberNoise struct {
	// Distribution is Laplace (also when empty) or Gaussian.
	Distribution Distribution

	// Scale is the absolute noise size: Laplace b or Gaussian sigma.
	Scale float64

	// Relative is the noise size as a fraction of the value's magnitude.
	Relative float64

	// Min and Max, if not nil, clamp every output (field report B14).
	Min, Max *float64
}

// numberNoise is a validated NumberNoise.
type numberNoise struct {
	gaussian bool
	scale    float64
	relative float64
	min, max float64 // ±Inf when unset
}

func (c *NumberNoise) compile() (*numberNoise, error) {
	nn := &numberNoise{scale: c.Scale, relative: c.Relative, min: math.Inf(-1), max: math.Inf(1)}
	switch c.Distribution {
	case "", Laplace:
	case Gaussian:
		nn.gaussian = true
	default:
		return nil, paramErrorf("distribution", "want %s or %s", Laplace, Gaussian)
	}
	if !(c.Scale >= 0) || math.IsInf(c.Scale, 0) {
		return nil, paramErrorf("scale", "must be a finite number >= 0")
	}
	if !(c.Relative >= 0) || math.IsInf(c.Relative, 0) {
		return nil, paramErrorf("relative", "must be a finite number >= 0")
	}
	if c.Scale != 0 && c.Relative != 0 {
		return nil, paramErrorf("relative", "cannot be combined with scale; set one")
	}
	if c.Min != nil {
		if math.IsNaN(*c.Min) {
			return nil, paramErrorf("min", "must be a number")
		}
		nn.min = *c.Min
	}
	if c.Max != nil {
		if math.IsNaN(*c.Max) {
			return nil, paramErrorf("max", "must be a number")
		}
		nn.max = *c.Max
	}
	if nn.min > nn.max {
		return nil, paramErrorf("min", "must not be greater than max")
	}
	return nn, nil
}

// draw returns v plus one draw of noise from r.
func (nn *numberNoise) draw(v float64, r *rand.Rand) float64 {
	var x float64
	if nn.gaussian {
		x = r.NormFloat64()
	} else {
		x = drawLaplace(r)
	}
	s := nn.scale
	if nn.relative != 0 {
		s = nn.relative * math.Abs(v)
	}
	return v + x*s
}

// drawLaplace draws from the standard Laplace distribution by inverting its
// CDF at a uniform u in (0, 1).
func drawLaplace(r *rand.Rand) float64 {
	u := r.Float64()
	for u == 0 {
		u = r.Float64()
	}
	u -= 0.5
	if u < 0 {
		return math.Log(1 + 2*u)
	}
	return -math.Log(1 - 2*u)
}

// applyText noises numbers written as text. Integers stay integers, decimals
// keep their count of decimals, exponent forms stay exponent forms.
func (nn *numberNoise) applyText(w *Worker, in Input, k *noiseKey) (arrow.Array, error) {
	return mapTextParsed(w, in, parseExactNumber,
		func(dst []byte, i int, s []byte, x textNumber) ([]byte, error) {
			if err := k.seed(i, s); err != nil {
				return dst, err
			}
			return x.appendNoised(dst, nn.draw(x.v, w.Rand()), nn.min, nn.max), nil
		})
}

// errIntegerTooLarge rejects integers that float64 arithmetic would change:
// noise and ranges work in float64, exact only up to 2^53.
var errIntegerTooLarge = errors.New("integer too large to process exactly (beyond 2^53)")

// textNumber is a parsed text number and its written shape.
type textNumber struct {
	v        float64
	decimals int  // digits after the point (of the mantissa, with exp)
	point    bool // written with a decimal point
	exp      bool // written with an exponent
}

// parseTextNumber accepts [+-]digits[.digits][(e|E)[+-]digits]; a decimal
// comma, thousands separators, NaN and infinities are not numbers.
func parseTextNumber(s []byte) (textNumber, bool) {
	var x textNumber
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	n := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n++
	}
	if i < len(s) && s[i] == '.' {
		x.point = true
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			x.decimals++
		}
	}
	if n+x.decimals == 0 {
		return x, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		x.exp = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			e++
		}
		if e == 0 {
			return x, false
		}
	}
	if i != len(s) {
		return x, false
	}

	v, err := strconv.ParseFloat(bytesAsString(s), 64)
	if err != nil || math.IsInf(v, 0) {
		return x, false
	}
	x.v = v
	return x, true
}

// appendNoised writes v in x's shape, rounded to x's decimals and clamped to
// [lo, hi] on that grid so that rounding cannot leave the bounds.
func (x textNumber) appendNoised(dst []byte, v, lo, hi float64) []byte {
	if x.exp {
		v = clampFloat(v, lo, hi) + 0 // +0 turns -0 into 0
		return strconv.AppendFloat(dst, v, 'e', x.decimals, 64)
	}
	p := math.Pow10(x.decimals)
	lo = math.Ceil(snap(lo*p)) / p
	hi = math.Floor(snap(hi*p)) / p
	v = clampFloat(math.Round(v*p)/p, lo, hi)
	if math.Round(v*p) == 0 {
		v = 0
	}
	return strconv.AppendFloat(dst, v, 'f', x.decimals, 64)
}

// snap rounds x to the nearest integer when it is within float error of it.
func snap(x float64) float64 {
	r := math.Round(x)
	if math.Abs(x-r) <= 1e-9*math.Max(1, math.Abs(x)) {
		return r
	}
	return x
}

// bytesAsString views b as a string without copying, for parsers that do
// not keep their input.
func bytesAsString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// isNoiseNumberType reports whether dt is an integer or float32/64 type.
func isNoiseNumberType(dt arrow.DataType) bool {
	_, _, ok := intRange(dt)
	return ok || dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

// intRange returns the range of an integer type as floats that convert
// back without overflow.
func intRange(dt arrow.DataType) (lo, hi float64, ok bool) {
	switch dt.ID() {
	case arrow.INT8:
		return math.MinInt8, math.MaxInt8, true
	case arrow.INT16:
		return math.MinInt16, math.MaxInt16, true
	case arrow.INT32:
		return math.MinInt32, math.MaxInt32, true
	case arrow.INT64:
		return math.MinInt64, math.Nextafter(math.MaxInt64, 0), true
	case arrow.UINT8:
		return 0, math.MaxUint8, true
	case arrow.UINT16:
		return 0, math.MaxUint16, true
	case arrow.UINT32:
		return 0, math.MaxUint32, true
	case arrow.UINT64:
		return 0, math.Nextafter(math.MaxUint64, 0), true
	}
	return 0, 0, false
}

type noiseNumber interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// valueArray is an Arrow array of fixed-width values of type T.
type valueArray[T any] interface {
	arrow.Array
	Value(i int) T
}

// valueBuilder is an Arrow builder of fixed-width values of type T.
type valueBuilder[T any] interface {
	array.Builder
	Append(v T)
}

// applyTyped noises an integer or float column and keeps its type.
func (nn *numberNoise) applyTyped(w *Worker, in Input, k *noiseKey) (arrow.Array, error) {
	switch in.Array().DataType().ID() {
	case arrow.INT8:
		return noiseValues[int8](nn, w, in, k)
	case arrow.INT16:
		return noiseValues[int16](nn, w, in, k)
	case arrow.INT32:
		return noiseValues[int32](nn, w, in, k)
	case arrow.INT64:
		return noiseValues[int64](nn, w, in, k)
	case arrow.UINT8:
		return noiseValues[uint8](nn, w, in, k)
	case arrow.UINT16:
		return noiseValues[uint16](nn, w, in, k)
	case arrow.UINT32:
		return noiseValues[uint32](nn, w, in, k)
	case arrow.UINT64:
		return noiseValues[uint64](nn, w, in, k)
	case arrow.FLOAT32:
		return noiseValues[float32](nn, w, in, k)
	case arrow.FLOAT64:
		return noiseValues[float64](nn, w, in, k)
	}
	return nil, fmt.Errorf("%w: noise does not handle %s", ErrUnsupportedType,
		in.Array().DataType())
}

func noiseValues[T noiseNumber](nn *numberNoise, w *Worker, in Input,
	k *noiseKey) (arrow.Array, error) {
	arr := in.Array().(valueArray[T])
	b := array.NewBuilder(w.Mem, arr.DataType()).(valueBuilder[T])
	defer b.Release()
	n := arr.Len()
	b.Reserve(n)

	// Integers round, then clamp to the bounds and the type's range.
	lo, hi := nn.min, nn.max
	tlo, thi, isInt := intRange(arr.DataType())
	if isInt {
		lo = math.Max(math.Ceil(lo), tlo)
		hi = math.Min(math.Floor(hi), thi)
	}

	for i := 0; i < n; i++ {
		if arr.IsNull(i) {
			b.AppendNull()
			continue
		}
		v := float64(arr.Value(i))
		if isInt && math.Abs(v) >= exactIntLimit {
			return nil, rowError(in, i, errIntegerTooLarge)
		}
		if err := k.seedBits(i, math.Float64bits(v)); err != nil {
			return nil, err
		}
		f := nn.draw(v, w.Rand())
		if isInt {
			f = math.Round(f)
		}
		b.Append(T(clampFloat(f, lo, hi)))
	}
	return b.NewArray(), nil
}

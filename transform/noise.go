package transform

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
)

var noiseSpec = &Spec{
	Name:    "noise",
	Summary: "add keyed random noise to numbers, shift dates by whole days",
	Doc: "Numbers get Laplace or Gaussian noise of absolute size `scale` or of size " +
		"`relative` × |value|; integers stay integers (rounded), decimal text keeps its " +
		"number of decimals, typed columns keep their Arrow type, and `min`/`max` clamp " +
		"every output. Dates and timestamps move by a uniform whole number of days in " +
		"[-max_shift_days, max_shift_days], keeping time of day, layout and type; " +
		"`min_date`/`max_date` clamp every output. Date-only values are civil dates and " +
		"never depend on the process time zone. Text columns hold dates when " +
		"`max_shift_days` is set, numbers otherwise; typed columns choose by type. " +
		"Draws are keyed by the secret and the row number (and value), so output does not " +
		"depend on batch size or workers; with `by`, rows with the same value in that " +
		"column share one draw, keeping intervals within an entity (rows whose `by` " +
		"value is null are keyed by row). Give columns that must move together the same " +
		"`namespace`. Nulls and empty text stay as they are; text that does not parse " +
		"is an error naming the row and column.",
	Keyed: true,
	Params: []Param{
		{Name: "distribution", Type: ParamEnum, Default: string(Laplace),
			Enum: []string{string(Laplace), string(Gaussian)},
			Doc:  "noise distribution for numbers"},
		{Name: "scale", Type: ParamFloat,
			Doc: "absolute noise size for numbers: Laplace b or Gaussian sigma"},
		{Name: "relative", Type: ParamFloat,
			Doc: "noise size as a fraction of |value| (instead of scale)"},
		{Name: "min", Type: ParamFloat, Doc: "smallest output number (clamp)"},
		{Name: "max", Type: ParamFloat, Doc: "largest output number (clamp)"},
		{Name: "max_shift_days", Type: ParamInt,
			Doc: "dates: shift by a whole number of days in [-N, N] (N <= 36500)"},
		{Name: "min_date", Type: ParamString,
			Doc: "earliest output date, YYYY-MM-DD (midnight) or RFC 3339 (clamp)"},
		{Name: "max_date", Type: ParamString,
			Doc: "latest output date, YYYY-MM-DD (midnight) or RFC 3339 (clamp)"},
		{Name: "by", Type: ParamString,
			Doc: "column whose value keys the draw (an entity ID); default: the row"},
		{Name: "namespace", Type: ParamString,
			Doc: "key namespace; default: the column name"},
	},
	Example: "age: {strategy: noise, relative: 0.1, min: 0}\n" +
		"admitted: {strategy: noise, max_shift_days: 30, by: patient_id, namespace: stay}",
	New: newNoiseFromOptions,
}

func newNoiseFromOptions(o Options) (Strategy, error) {
	var nums *NumberNoise
	if o.Has("scale") || o.Has("relative") || o.Has("min") || o.Has("max") {
		nums = &NumberNoise{
			Distribution: Distribution(o.String("distribution")),
			Scale:        o.Float("scale"),
			Relative:     o.Float("relative"),
		}
		if o.Has("relative") && o.Has("scale") {
			return nil, paramErrorf("relative", "cannot be combined with scale; set one")
		}
		if !o.Has("scale") && !o.Has("relative") {
			return nil, paramErrorf("scale", "min and max need scale or relative")
		}
		if o.Has("min") {
			v := o.Float("min")
			nums.Min = &v
		}
		if o.Has("max") {
			v := o.Float("max")
			nums.Max = &v
		}
	}

	var dates *DateNoise
	if o.Has("max_shift_days") {
		dates = &DateNoise{
			MaxShiftDays: o.Int("max_shift_days"),
			MinDate:      o.String("min_date"),
			MaxDate:      o.String("max_date"),
		}
	} else if o.Has("min_date") || o.Has("max_date") {
		return nil, paramErrorf("max_shift_days", "min_date and max_date need max_shift_days")
	}

	if o.Has("by") && o.String("by") == "" {
		return nil, paramErrorf("by", "must name a column")
	}
	ns := o.String("namespace")
	if !o.Has("namespace") {
		ns = o.Column()
	}
	return NewNoise(nums, dates, o.String("by"), ns)
}

// Noise adds keyed random noise to numbers and shifts dates by whole days.
// Build it with [NewNoise]; it is safe for concurrent use.
type Noise struct {
	numbers *numberNoise
	dates   *dateNoise

	by        string
	namespace string
}

// NewNoise returns a noise strategy. numbers configures numeric columns and
// dates date and timestamp columns; at least one must be set, and a text
// column is read as dates when dates is set. by, if not empty, names the
// column whose value keys the draw. namespace separates the draws of
// different columns; empty means the name of the column being rewritten.
// Problems are returned as a [*ParamError] naming the profile option.
func NewNoise(numbers *NumberNoise, dates *DateNoise, by, namespace string) (*Noise, error) {
	if numbers == nil && dates == nil {
		return nil, paramErrorf("scale",
			"set scale or relative (numbers) or max_shift_days (dates)")
	}

	n := &Noise{by: by, namespace: namespace}
	if numbers != nil {
		nn, err := numbers.compile()
		if err != nil {
			return nil, err
		}
		n.numbers = nn
	}
	if dates != nil {
		dn, err := dates.compile()
		if err != nil {
			return nil, err
		}
		n.dates = dn
	}
	return n, nil
}

// ReadsColumns implements [ColumnReader]: the `by` column, if any.
func (n *Noise) ReadsColumns() []string {
	if n.by == "" {
		return nil
	}
	return []string{n.by}
}

// OutputType implements [Strategy]: the type is unchanged (large text stays
// large, other text and binary become utf8). Numeric types need numbers
// configured, date and timestamp types need dates configured.
func (n *Noise) OutputType(in arrow.DataType) (arrow.DataType, error) {
	switch {
	case isStringLike(in):
		return textOutputType(in), nil
	case isNoiseNumberType(in):
		if n.numbers == nil {
			return nil, fmt.Errorf("%w: noise on %s needs scale or relative",
				ErrUnsupportedType, in)
		}
		return in, nil
	case isDateType(in):
		if n.dates == nil {
			return nil, fmt.Errorf("%w: noise on %s needs max_shift_days",
				ErrUnsupportedType, in)
		}
		return in, nil
	}
	return nil, fmt.Errorf("%w: noise does not handle %s", ErrUnsupportedType, in)
}

// Apply implements [Strategy].
func (n *Noise) Apply(w *Worker, in Input) (arrow.Array, error) {
	dt := in.Array().DataType()
	if _, err := n.OutputType(dt); err != nil {
		return nil, err
	}
	k, err := n.keyer(w, in)
	if err != nil {
		return nil, err
	}

	switch {
	case isStringLike(dt) && n.dates != nil:
		return n.dates.applyText(w, in, k)
	case isStringLike(dt):
		return n.numbers.applyText(w, in, k)
	case isDateType(dt):
		return n.dates.applyTyped(w, in, k)
	}
	return n.numbers.applyTyped(w, in, k)
}

// noiseKey seeds the worker's generator for one row.
type noiseKey struct {
	w         *Worker
	in        Input
	namespace string
	by        arrow.Array
	byValue   byteValuer
	buf       []byte

	// block keys the draws of typed values (see seedBits): it encrypts
	// plain into cipherText.
	block             cipher.Block
	plain, cipherText [aes.BlockSize]byte
}

func (n *Noise) keyer(w *Worker, in Input) (*noiseKey, error) {
	k := &noiseKey{w: w, in: in, namespace: n.namespace, buf: make([]byte, 0, 64)}
	if k.namespace == "" {
		k.namespace = in.Name()
	}
	if n.by != "" {
		idx := in.Batch.Schema().FieldIndices(n.by)
		if len(idx) == 0 {
			return nil, paramErrorf("by", "no column %q in the input", n.by)
		}
		k.by = in.Batch.Column(idx[0])
		k.byValue = valuesOf(k.by)
	}
	return k, nil
}

// seed seeds the generator for row i holding value: from the by column's
// value if there is one, else from the global row number and the value.
func (k *noiseKey) seed(i int, value []byte) error {
	var (
		d   []byte
		err error
	)
	if k.by != nil && !k.by.IsNull(i) {
		d, err = k.w.Digest("noise", k.namespace, k.byValue(i))
	} else {
		k.buf = binary.BigEndian.AppendUint64(k.buf[:0], uint64(k.in.Row(i)))
		k.buf = append(k.buf, value...)
		d, err = k.w.Digest("noise", k.namespace, k.buf)
	}
	if err != nil {
		return err
	}
	k.w.Seed(d)
	return nil
}

// seedBits seeds row i from the 64-bit pattern of a typed value. Without a
// by value the seed is the AES encryption, under the namespace's key (see
// [Worker.BlockCipher]), of the row number and the pattern: one block, as
// keyed and as deterministic as the HMAC of [noiseKey.seed] at a tenth of
// its cost, which matters as every row of a noised column needs a draw.
func (k *noiseKey) seedBits(i int, bits uint64) error {
	if k.by != nil && !k.by.IsNull(i) {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], bits)
		return k.seed(i, b[:])
	}

	if k.block == nil {
		b, err := k.w.BlockCipher("noise", k.namespace)
		if err != nil {
			return err
		}
		k.block = b
	}
	binary.BigEndian.PutUint64(k.plain[:8], uint64(k.in.Row(i)))
	binary.BigEndian.PutUint64(k.plain[8:], bits)
	k.block.Encrypt(k.cipherText[:], k.plain[:])
	k.w.Seed(k.cipherText[:])
	return nil
}

// trimSpaceBytes trims ASCII spaces and tabs.
func trimSpaceBytes(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// clampFloat limits v to [lo, hi].
func clampFloat(v, lo, hi float64) float64 {
	return math.Min(math.Max(v, lo), hi)
}

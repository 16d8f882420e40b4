package transform

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// maxShiftDaysLimit bounds max_shift_days (about 100 years), which keeps
// nanosecond timestamps clear of overflow.
const maxShiftDaysLimit = 36500

// DateNoise configures shifts of dates and timestamps. Every value moves by a
// whole number of days drawn uniformly from [-MaxShiftDays, MaxShiftDays];
// date-times keep their time of day.
//
// Bounds are YYYY-MM-DD or RFC 3339 text, empty for none; every output is
// clamped into them (field report B11). A date-only bound stands for
// midnight at the start of that day: in UTC for zoned values, on the wall
// clock for naive ones. Date-only values compare with the bound's date as
// written; naive date-times with its wall-clock time as written; zoned ones
// with its instant.
type DateNoise struct {
	// MaxShiftDays is the largest shift, in days, 0 to 36500.
	MaxShiftDays int64

	// MinDate is the earliest output, or "".
	MinDate string

	// MaxDate is the latest output, or "".
	MaxDate string
}

// dateNoise is a validated DateNoise.
type dateNoise struct {
	maxShift int64
	min, max *dateBound
}

func (c *DateNoise) compile() (*dateNoise, error) {
	if c.MaxShiftDays < 0 || c.MaxShiftDays > maxShiftDaysLimit {
		return nil, paramErrorf("max_shift_days", "must be between 0 and %d", maxShiftDaysLimit)
	}
	dn := &dateNoise{maxShift: c.MaxShiftDays}
	for _, b := range []struct {
		name, text string
		dst        **dateBound
	}{{"min_date", c.MinDate, &dn.min}, {"max_date", c.MaxDate, &dn.max}} {
		if b.text == "" {
			continue
		}
		v, ok := parseDateBound(b.text)
		if !ok {
			return nil, paramErrorf(b.name, "want YYYY-MM-DD or RFC 3339")
		}
		*b.dst = v
	}
	if dn.min != nil && dn.max != nil && dn.min.instant.After(dn.max.instant) {
		return nil, paramErrorf("min_date", "must not be after max_date")
	}
	return dn, nil
}

// draw returns a shift in days.
func (dn *dateNoise) draw(r *rand.Rand) int64 {
	return r.Int64N(2*dn.maxShift+1) - dn.maxShift
}

// applyText shifts text dates and keeps each value's layout.
func (dn *dateNoise) applyText(w *Worker, in Input, k *noiseKey) (arrow.Array, error) {
	return mapTextParsed(w, in, parseDate,
		func(dst []byte, i int, s []byte, d textDate) ([]byte, error) {
			if err := k.seed(i, s); err != nil {
				return dst, err
			}
			dn.shiftText(&d, dn.draw(w.Rand()))
			return appendTextDate(dst, d), nil
		})
}

// shiftText moves d by days and clamps it.
func (dn *dateNoise) shiftText(d *textDate, days int64) {
	if d.kind != textDateTime {
		d.days += days
		if dn.min != nil && d.days < dn.min.days {
			d.days = dn.min.days
		}
		if dn.max != nil && d.days > dn.max.days {
			d.days = dn.max.days
		}
		return
	}

	// A fixed zone (or UTC) has no DST: AddDate moves by exactly days × 24h.
	d.t = d.t.AddDate(0, 0, int(days))
	loc := d.t.Location()
	switch {
	case d.zoned && dn.min != nil && d.t.Before(dn.min.instant):
		d.t = dn.min.instant.In(loc)
	case d.zoned && dn.max != nil && d.t.After(dn.max.instant):
		d.t = dn.max.instant.In(loc)
	case !d.zoned && dn.min != nil && d.t.Before(dn.min.wall):
		d.t = dn.min.wall
	case !d.zoned && dn.max != nil && d.t.After(dn.max.wall):
		d.t = dn.max.wall
	}
}

// applyTyped shifts date32, date64 and timestamp columns and keeps their type
// exactly (unit and time zone). Zoned timestamps are instants and naive ones
// wall-clock times (field report B21); for whole-day shifts both are the same
// arithmetic, and only the bounds differ.
func (dn *dateNoise) applyTyped(w *Worker, in Input, k *noiseKey) (arrow.Array, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch dt := in.Array().DataType().(type) {
	case *arrow.Date32Type:
		if dn.min != nil {
			lo = dn.min.days
		}
		if dn.max != nil {
			hi = dn.max.days
		}
		return shiftValues[arrow.Date32](dn, w, in, k, 1, lo, hi)
	case *arrow.Date64Type:
		if dn.min != nil {
			lo = dn.min.days * 86400000
		}
		if dn.max != nil {
			hi = dn.max.days * 86400000
		}
		return shiftValues[arrow.Date64](dn, w, in, k, 86400000, lo, hi)
	case *arrow.TimestampType:
		zoned := dt.TimeZone != ""
		if dn.min != nil {
			lo = timeToUnitSat(dn.min.pick(zoned), dt.Unit)
		}
		if dn.max != nil {
			hi = timeToUnitSat(dn.max.pick(zoned), dt.Unit)
		}
		return shiftValues[arrow.Timestamp](dn, w, in, k, unitsPerDay(dt.Unit), lo, hi)
	}
	return nil, fmt.Errorf("%w: noise does not handle %s", ErrUnsupportedType,
		in.Array().DataType())
}

func shiftValues[T ~int32 | ~int64](dn *dateNoise, w *Worker, in Input, k *noiseKey,
	perDay, lo, hi int64) (arrow.Array, error) {
	arr := in.Array().(valueArray[T])
	b := array.NewBuilder(w.Mem, arr.DataType()).(valueBuilder[T])
	defer b.Release()
	n := arr.Len()
	b.Reserve(n)

	for i := 0; i < n; i++ {
		if arr.IsNull(i) {
			b.AppendNull()
			continue
		}
		v := int64(arr.Value(i))
		if err := k.seedBits(i, uint64(v)); err != nil {
			return nil, err
		}
		v += dn.draw(w.Rand()) * perDay
		b.Append(T(min(max(v, lo), hi)))
	}
	return b.NewArray(), nil
}

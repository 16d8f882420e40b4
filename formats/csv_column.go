package formats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The causes of value errors in typed CSV columns. Like every parse error
// they never quote the value.
var (
	errNotInteger   = errors.New("not an integer")
	errIntRange     = errors.New("integer out of range")
	errNotNumber    = errors.New("not a number")
	errFloatRange   = errors.New("number out of range")
	errNotBool      = errors.New("not a boolean (want true or false)")
	errNotDate      = errors.New("not a date (want YYYY-MM-DD)")
	errNotTimestamp = errors.New("not a timestamp (want RFC 3339 or YYYY-MM-DD HH:MM:SS[.fff])")
	errTimeRange    = errors.New("timestamp out of range")
	errTimeFraction = errors.New("timestamp has a finer fraction than the column's unit")
	errZoneUnwanted = errors.New("timestamp has a zone offset but the column type has " +
		"no time zone")
	errZoneNeeded = errors.New("timestamp has no zone offset but the column type has " +
		"a time zone")
	errTypeNotForCSV = errors.New("type is not supported for CSV input")
	errColumnTooBig  = errors.New("column holds more than 2 GiB of text in one batch; " +
		"use a smaller batch size")
)

// csvColumn builds one column of a CSV batch. Only one goroutine at a time
// builds a given column.
type csvColumn struct {
	name string

	// b builds a typed column; it is nil for a text column, whose array is
	// made from the scanned bytes directly (buildText).
	b array.Builder

	// parse appends one non-empty value to b for typed columns.
	parse func(v []byte) error
}

// newCSVColumn returns the builder of a column of type typ.
func newCSVColumn(name string, typ arrow.DataType, mem memory.Allocator) (*csvColumn, error) {
	if typ.ID() == arrow.STRING {
		return &csvColumn{name: name}, nil
	}
	c := &csvColumn{name: name, b: array.NewBuilder(mem, typ)}
	switch b := c.b.(type) {
	case *array.Int64Builder:
		c.parse = csvIntParser(math.MinInt64, math.MaxInt64, func(v int64) { b.Append(v) })
	case *array.Int32Builder:
		c.parse = csvIntParser(math.MinInt32, math.MaxInt32, func(v int64) { b.Append(int32(v)) })
	case *array.Int16Builder:
		c.parse = csvIntParser(math.MinInt16, math.MaxInt16, func(v int64) { b.Append(int16(v)) })
	case *array.Int8Builder:
		c.parse = csvIntParser(math.MinInt8, math.MaxInt8, func(v int64) { b.Append(int8(v)) })
	case *array.Float64Builder:
		c.parse = func(v []byte) error {
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return csvFloatError(err)
			}
			b.Append(f)
			return nil
		}
	case *array.Float32Builder:
		c.parse = func(v []byte) error {
			f, err := strconv.ParseFloat(string(v), 32)
			if err != nil {
				return csvFloatError(err)
			}
			b.Append(float32(f))
			return nil
		}
	case *array.BooleanBuilder:
		c.parse = func(v []byte) error {
			switch string(v) {
			case "true", "True", "TRUE", "t", "T", "1":
				b.Append(true)
			case "false", "False", "FALSE", "f", "F", "0":
				b.Append(false)
			default:
				return errNotBool
			}
			return nil
		}
	case *array.Date32Builder:
		c.parse = func(v []byte) error {
			if len(v) != len("2006-01-02") {
				return errNotDate
			}
			y, m, d, ok := csvParseDate(v)
			if !ok {
				return errNotDate
			}
			b.Append(arrow.Date32(csvDaysSinceEpoch(y, m, d)))
			return nil
		}
	case *array.TimestampBuilder:
		tt := typ.(*arrow.TimestampType)
		if _, err := tt.GetZone(); err != nil {
			b.Release()
			return nil, fmt.Errorf("column %q: %w", name, err)
		}
		c.parse = csvTimestampParser(tt, b)
	default:
		c.b.Release()
		return nil, fmt.Errorf("column %q: %s: %w", name, typ, errTypeNotForCSV)
	}
	return c, nil
}

// csvFloatError replaces a strconv error, which quotes the value, by one
// that does not.
func csvFloatError(err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return errFloatRange
	}
	return errNotNumber
}

// build makes the array of the n rows of values in f. On error it also
// returns the index of the failing row.
func (c *csvColumn) build(f *csvFields, n int, mem memory.Allocator) (arrow.Array, int, error) {
	if c.b == nil {
		if f.offs[n] > math.MaxInt32 {
			return nil, 0, errColumnTooBig
		}
		return buildText(f, n, mem), 0, nil
	}

	// A typed column has no empty value: an empty field, quoted or not, is
	// null.
	c.b.Reserve(n)
	offs := f.offs[:n+1]
	for i := range n {
		v := f.data[offs[i]:offs[i+1]]
		if len(v) == 0 {
			c.b.AppendNull()
			continue
		}
		if err := c.parse(v); err != nil {
			c.b.NewArray().Release()
			return nil, i, err
		}
	}
	return c.b.NewArray(), 0, nil
}

// buildText makes a utf8 array of the n rows of values in f, byte for byte
// (an unquoted empty field is null), copying the offsets and the bytes as
// they are. The values must hold at most math.MaxInt32 bytes.
func buildText(f *csvFields, n int, mem memory.Allocator) arrow.Array {
	offs := f.offs[:n+1]
	size := offs[n]

	offsets := memory.NewResizableBuffer(mem)
	offsets.Resize(arrow.Int32Traits.BytesRequired(n + 1))
	o32 := arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	for i, o := range offs {
		o32[i] = int32(o)
	}
	values := memory.NewResizableBuffer(mem)
	values.Resize(size)
	copy(values.Bytes(), f.data[:size])
	valid, nulls := textValidity(f, n, mem)

	data := array.NewData(arrow.BinaryTypes.String, n,
		[]*memory.Buffer{valid, offsets, values}, nil, nulls, 0)
	arr := array.NewStringData(data)
	data.Release()
	offsets.Release()
	values.Release()
	if valid != nil {
		valid.Release()
	}
	return arr
}

// textValidity returns the validity bitmap of the n rows of values in f and
// the number of nulls; the bitmap is nil when there are none.
func textValidity(f *csvFields, n int, mem memory.Allocator) (*memory.Buffer, int) {
	offs := f.offs[:n+1]
	empty := 0
	for i := range n {
		if offs[i] == offs[i+1] {
			empty++
		}
	}
	nulls := empty - len(f.quotedEmpty)
	if nulls == 0 {
		return nil, 0
	}

	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := valid.Bytes()
	q := f.quotedEmpty
	for i := 0; i < n; i += 8 {
		var by byte
		for k := range min(8, n-i) {
			row := i + k
			if offs[row] != offs[row+1] {
				by |= 1 << k
			} else if len(q) > 0 && q[0] == row {
				by |= 1 << k
				q = q[1:]
			}
		}
		bits[i/8] = by
	}
	return valid, nulls
}

// csvIntParser parses a decimal integer in [lo, hi] and hands it to add.
func csvIntParser(lo, hi int64, add func(int64)) func([]byte) error {
	return func(v []byte) error {
		n, err := csvParseInt(v)
		if err != nil {
			return err
		}
		if n < lo || n > hi {
			return errIntRange
		}
		add(n)
		return nil
	}
}

// csvParseInt parses an optionally signed decimal int64 without allocating.
func csvParseInt(v []byte) (int64, error) {
	neg := false
	if len(v) > 0 && (v[0] == '+' || v[0] == '-') {
		neg = v[0] == '-'
		v = v[1:]
	}
	if len(v) == 0 {
		return 0, errNotInteger
	}
	var u uint64
	overflow := false
	for _, ch := range v {
		d := ch - '0'
		if d > 9 {
			return 0, errNotInteger
		}
		if u > (math.MaxUint64-9)/10 {
			overflow = true
			continue
		}
		u = u*10 + uint64(d)
	}
	switch {
	case overflow:
		return 0, errIntRange
	case neg && u <= 1<<63:
		return int64(-u), nil
	case !neg && u <= math.MaxInt64:
		return int64(u), nil
	}
	return 0, errIntRange
}

// csvDigits parses the decimal digits in v, which are all required.
func csvDigits(v []byte) (int, bool) {
	n := 0
	for _, ch := range v {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		n = n*10 + int(ch-'0')
	}
	return n, len(v) > 0
}

// csvParseDate parses YYYY-MM-DD at the start of v and checks the day exists.
func csvParseDate(v []byte) (y, m, d int, ok bool) {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := csvDigits(v[0:4])
	m, ok2 := csvDigits(v[5:7])
	d, ok3 := csvDigits(v[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > csvDaysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func csvDaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// csvDaysSinceEpoch returns the days from 1970-01-01 to the given date.
func csvDaysSinceEpoch(y, m, d int) int64 {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// csvTimestampParser parses timestamps for a column of type tt.
func csvTimestampParser(tt *arrow.TimestampType, b *array.TimestampBuilder) func([]byte) error {
	zoned := tt.TimeZone != ""
	var unitNanos int64
	switch tt.Unit {
	case arrow.Second:
		unitNanos = 1e9
	case arrow.Millisecond:
		unitNanos = 1e6
	case arrow.Microsecond:
		unitNanos = 1e3
	default:
		unitNanos = 1
	}
	return func(v []byte) error {
		t, hasZone, err := csvParseTimestamp(v)
		if err != nil {
			return err
		}
		if hasZone && !zoned {
			return errZoneUnwanted
		}
		if !hasZone && zoned {
			return errZoneNeeded
		}
		if int64(t.Nanosecond())%unitNanos != 0 {
			return errTimeFraction
		}
		ts, err := arrow.TimestampFromTime(t, tt.Unit)
		if err != nil {
			return errTimeRange
		}
		b.Append(ts)
		return nil
	}
}

// csvParseTimestamp parses YYYY-MM-DD, optionally followed by T (or a space)
// and HH:MM:SS[.fraction], and then optionally by Z or ±HH:MM. A value with
// no zone is returned as a UTC wall-clock time.
func csvParseTimestamp(v []byte) (time.Time, bool, error) {
	y, mo, d, ok := csvParseDate(v)
	if !ok {
		return time.Time{}, false, errNotTimestamp
	}
	v = v[10:]
	var h, mi, s, nanos int
	hasTime := len(v) > 0 && (v[0] == 'T' || v[0] == 't' || v[0] == ' ')
	if hasTime {
		if len(v) < 9 || v[3] != ':' || v[6] != ':' {
			return time.Time{}, false, errNotTimestamp
		}
		var ok1, ok2, ok3 bool
		h, ok1 = csvDigits(v[1:3])
		mi, ok2 = csvDigits(v[4:6])
		s, ok3 = csvDigits(v[7:9])
		if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || s > 59 {
			return time.Time{}, false, errNotTimestamp
		}
		v = v[9:]
		if len(v) > 0 && v[0] == '.' {
			n := 1
			for n < len(v) && v[n] >= '0' && v[n] <= '9' {
				n++
			}
			if n == 1 || n > 10 {
				return time.Time{}, false, errNotTimestamp
			}
			f, _ := csvDigits(v[1:n])
			for range 10 - n {
				f *= 10
			}
			nanos = f
			v = v[n:]
		}
	}

	offset, hasZone := 0, false
	switch {
	case len(v) == 0:
	case !hasTime:
		return time.Time{}, false, errNotTimestamp
	case len(v) == 1 && (v[0] == 'Z' || v[0] == 'z'):
		hasZone = true
	case len(v) == 6 && (v[0] == '+' || v[0] == '-') && v[3] == ':':
		oh, ok1 := csvDigits(v[1:3])
		om, ok2 := csvDigits(v[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false, errNotTimestamp
		}
		offset = oh*3600 + om*60
		if v[0] == '-' {
			offset = -offset
		}
		hasZone = true
	default:
		return time.Time{}, false, errNotTimestamp
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, nanos, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), hasZone, nil
}

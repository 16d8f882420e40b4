package transform

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Dates are handled in two ways, both independent of the process time zone
// (field report B12: ARX moved pre-1900 dates by a local-mean-time offset):
//
//   - Date-only values (text YYYY-MM-DD and M/D/YYYY, Arrow date32/date64) are
//     civil dates: a count of days since 1970-01-01, computed with integer
//     arithmetic. They never pass through a time.Location and never gain a
//     time part.
//   - Date-times keep their own written offset (text) or are instants in UTC
//     (zoned Arrow timestamps) or wall-clock times labelled UTC (naive ones).

var errValueNotDate = errors.New("not a date")

// textDateKind is the layout family of a text date.
type textDateKind uint8

const (
	textDateISO   textDateKind = iota // 2006-01-02
	textDateSlash                     // 1/2/2006 (month/day/year)
	textDateTime                      // 2006-01-02T15:04:05[.frac][Z07:00], also with ' '
)

// textDate is one parsed text date, with what is needed to write it back in
// the same layout.
type textDate struct {
	kind textDateKind

	// days is the civil date as written, in days since 1970-01-01.
	days int64

	// t is the value of a textDateTime: in a fixed zone with the written
	// offset, or in UTC (standing for the wall clock) when none is written.
	t time.Time

	// zoned reports whether a textDateTime carries an offset.
	zoned bool

	// layout writes a textDateTime back.
	layout string

	// padMonth and padDay record the zero padding of a textDateSlash.
	padMonth, padDay bool
}

// parseTextDate parses a date in one of the supported layouts.
func parseTextDate(s []byte) (textDate, bool) {
	var d textDate
	switch {
	case len(s) == 10 && s[4] == '-':
		days, ok := parseISODate(s)
		d.kind, d.days = textDateISO, days
		return d, ok
	case len(s) >= 19 && (s[10] == 'T' || s[10] == ' '):
		return parseTextDateTime(s)
	}
	return parseSlashDate(s)
}

// parseISODate parses YYYY-MM-DD into civil days.
func parseISODate(s []byte) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || !validCivil(y, m, d) {
		return 0, false
	}
	return civilDays(y, m, d), true
}

// parseSlashDate parses M/D/YYYY, with or without zero padding.
func parseSlashDate(s []byte) (textDate, bool) {
	var d textDate
	i := indexByte(s, '/')
	if i < 1 || i > 2 {
		return d, false
	}
	j := indexByte(s[i+1:], '/')
	if j < 1 || j > 2 || len(s)-(i+1+j+1) != 4 {
		return d, false
	}
	ms, ds, ys := s[:i], s[i+1:i+1+j], s[i+1+j+1:]
	m, ok1 := digits(ms)
	day, ok2 := digits(ds)
	y, ok3 := digits(ys)
	if !ok1 || !ok2 || !ok3 || !validCivil(y, m, day) {
		return d, false
	}
	d.kind = textDateSlash
	d.days = civilDays(y, m, day)
	d.padMonth = len(ms) == 2 && ms[0] == '0'
	d.padDay = len(ds) == 2 && ds[0] == '0'
	return d, true
}

// parseTextDateTime parses RFC 3339 (optional fraction) and the same with a
// space, or without an offset (a naive wall-clock time).
func parseTextDateTime(s []byte) (textDate, bool) {
	var d textDate
	days, ok := parseISODate(s[:10])
	if !ok {
		return d, false
	}

	// Read the shape of the tail: fraction digits and offset style.
	rest := s[19:]
	frac := 0
	if len(rest) > 0 && rest[0] == '.' {
		for frac < len(rest)-1 && rest[1+frac] >= '0' && rest[1+frac] <= '9' {
			frac++
		}
		if frac == 0 || frac > 9 {
			return d, false
		}
		rest = rest[1+frac:]
	}
	zone := zoneNone
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && rest[0] == 'Z':
		zone = zoneZ
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		zone = zoneNumeric
	default:
		return d, false
	}

	sep := 0
	if s[10] == ' ' {
		sep = 1
	}
	l := dateTimeLayouts[sep][frac][zone]
	t, err := time.Parse(l.in, string(s))
	if err != nil {
		return d, false
	}
	if zone != zoneNone && t.Location() != time.UTC {
		// Pin the written offset: a Local location would bring in DST rules.
		_, off := t.Zone()
		t = t.In(time.FixedZone("", off))
	}
	d.kind, d.days, d.t, d.zoned, d.layout = textDateTime, days, t, zone != zoneNone, l.out
	return d, true
}

// Offset styles of a text date-time.
const (
	zoneNone = iota
	zoneZ
	zoneNumeric
)

type dateTimeLayout struct{ in, out string }

// dateTimeLayouts[sep][fraction digits][zone style] parse and write text
// date-times so that the written form keeps its shape.
var dateTimeLayouts = func() (l [2][10][3]dateTimeLayout) {
	for sep, sc := range []string{"T", " "} {
		for frac := 0; frac < 10; frac++ {
			base := "2006-01-02" + sc + "15:04:05"
			if frac > 0 {
				base += "." + strings.Repeat("0", frac)
			}
			l[sep][frac][zoneNone] = dateTimeLayout{base, base}
			l[sep][frac][zoneZ] = dateTimeLayout{base + "Z07:00", base + "Z07:00"}
			l[sep][frac][zoneNumeric] = dateTimeLayout{base + "Z07:00", base + "-07:00"}
		}
	}
	return l
}()

// appendTextDate writes d back in its layout.
func appendTextDate(dst []byte, d textDate) []byte {
	switch d.kind {
	case textDateISO:
		return appendISODate(dst, d.days)
	case textDateSlash:
		y, m, day := civilFromDays(d.days)
		dst = appendPadded(dst, m, d.padMonth)
		dst = append(dst, '/')
		dst = appendPadded(dst, day, d.padDay)
		dst = append(dst, '/')
		return appendYear(dst, y)
	}
	return d.t.AppendFormat(dst, d.layout)
}

func appendPadded(dst []byte, v int64, pad bool) []byte {
	if pad && v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, v, 10)
}

// appendYear writes a year with at least four digits.
func appendYear(dst []byte, y int64) []byte {
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	for p := int64(1000); p > 1 && y < p; p /= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, y, 10)
}

// appendISODate writes civil days as YYYY-MM-DD.
func appendISODate(dst []byte, days int64) []byte {
	y, m, d := civilFromDays(days)
	dst = appendYear(dst, y)
	dst = append(dst, '-')
	dst = appendPadded(dst, m, true)
	dst = append(dst, '-')
	return appendPadded(dst, d, true)
}

// digits parses a run of ASCII digits.
func digits(s []byte) (int64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

func indexByte(s []byte, c byte) int {
	for i, b := range s {
		if b == c {
			return i
		}
	}
	return -1
}

func validCivil(y, m, d int64) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int64{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// civilDays returns the days since 1970-01-01 of a proleptic Gregorian date
// (H. Hinnant's days_from_civil). No time zone is involved.
func civilDays(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of civilDays.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dateBound is a min_date or max_date option, ready for each kind of column.
type dateBound struct {
	// days is the civil date as written.
	days int64

	// instant is the moment (midnight UTC for a date-only bound); it bounds
	// zoned values.
	instant time.Time

	// wall is the wall-clock time as written, labelled UTC; it bounds naive
	// values.
	wall time.Time
}

// parseDateBound parses YYYY-MM-DD or RFC 3339.
func parseDateBound(s string) (*dateBound, bool) {
	if days, ok := parseISODate([]byte(s)); ok {
		y, m, d := civilFromDays(days)
		t := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
		return &dateBound{days: days, instant: t, wall: t}, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, false
	}
	days, _ := parseISODate([]byte(s[:10]))
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	wall := time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.UTC)
	return &dateBound{days: days, instant: t, wall: wall}, true
}

// unitsPerDay returns the number of timestamp units in a day.
func unitsPerDay(u arrow.TimeUnit) int64 {
	return 86400 * int64(time.Second/u.Multiplier())
}

// timeToUnitSat converts t to a count of u since the epoch, saturating
// instead of overflowing.
func timeToUnitSat(t time.Time, u arrow.TimeUnit) int64 {
	per := int64(time.Second / u.Multiplier())
	sec := t.Unix()
	if sec > math.MaxInt64/per-1 {
		return math.MaxInt64
	}
	if sec < math.MinInt64/per+1 {
		return math.MinInt64
	}
	return sec*per + int64(t.Nanosecond())/int64(u.Multiplier())
}

// pick returns the bound for zoned (instant) or naive (wall-clock) values.
func (b *dateBound) pick(zoned bool) time.Time {
	if zoned {
		return b.instant
	}
	return b.wall
}

// dayCounter turns value i of a date or timestamp array into civil days: the
// date of a zoned timestamp in the column's time zone, of a naive one on its
// wall clock. It returns nil for other arrays.
func dayCounter(arr arrow.Array) (func(i int) int64, error) {
	switch a := arr.(type) {
	case *array.Date32:
		return func(i int) int64 { return int64(a.Value(i)) }, nil
	case *array.Date64:
		return func(i int) int64 { return floorDiv(int64(a.Value(i)), 86400000) }, nil
	case *array.Timestamp:
		dt := a.DataType().(*arrow.TimestampType)
		perDay := unitsPerDay(dt.Unit)
		if dt.TimeZone == "" || strings.EqualFold(dt.TimeZone, "utc") {
			return func(i int) int64 { return floorDiv(int64(a.Value(i)), perDay) }, nil
		}
		loc, err := dt.GetZone()
		if err != nil {
			return nil, err
		}
		return func(i int) int64 {
			y, m, d := a.Value(i).ToTime(dt.Unit).In(loc).Date()
			return civilDays(int64(y), int64(m), int64(d))
		}, nil
	}
	return nil, nil
}

// isDateType reports whether dt is date32, date64 or a timestamp.
func isDateType(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return true
	}
	return false
}

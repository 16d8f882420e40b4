package transform

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// DateLevel is the precision that date generalization keeps.
type DateLevel string

// The date levels and their output: 1885-03-01, 1885-03, 1885, 1880s.
const (
	DateDay    DateLevel = "day"
	DateMonth  DateLevel = "month"
	DateYear   DateLevel = "year"
	DateDecade DateLevel = "decade"
)

// NewGeneralizeDates returns a strategy that writes dates at level: day
// "1885-03-01", month "1885-03", year "1885" or decade "1880s". It reads
// text in the layouts YYYY-MM-DD, M/D/YYYY, RFC 3339 and "YYYY-MM-DD
// hh:mm:ss" (the date as written, whatever its offset), and date32, date64
// and timestamp columns (zoned ones by their date in the column's time zone,
// naive ones by their wall clock). Date-only values are civil dates and never
// pass through a time zone (field report B12).
func NewGeneralizeDates(level DateLevel) (*Generalize, error) {
	switch level {
	case DateDay, DateMonth, DateYear, DateDecade:
	default:
		return nil, paramErrorf("date_level", "want %s, %s, %s or %s",
			DateDay, DateMonth, DateYear, DateDecade)
	}
	return &Generalize{mode: generalizeDates, level: level}, nil
}

func (g *Generalize) applyDates(w *Worker, in Input) (arrow.Array, error) {
	arr := in.Array()
	if isDateType(arr.DataType()) {
		days, err := dayCounter(arr)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", in.Name(), err)
		}
		return mapTextRows(w, in, func(dst []byte, i int) ([]byte, error) {
			return appendDateLevel(dst, days(i), g.level), nil
		})
	}

	return mapTextParsed(w, in, parseDate,
		func(dst []byte, _ int, _ []byte, d textDate) ([]byte, error) {
			return appendDateLevel(dst, d.days, g.level), nil
		})
}

// appendDateLevel writes civil days at level.
func appendDateLevel(dst []byte, days int64, level DateLevel) []byte {
	y, m, _ := civilFromDays(days)
	switch level {
	case DateMonth:
		dst = appendYear(dst, y)
		dst = append(dst, '-')
		return appendPadded(dst, m, true)
	case DateYear:
		return appendYear(dst, y)
	case DateDecade:
		dst = appendYear(dst, floorDiv(y, 10)*10)
		return append(dst, 's')
	}
	return appendISODate(dst, days)
}

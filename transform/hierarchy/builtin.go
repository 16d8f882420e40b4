package hierarchy

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Intervals builds a hierarchy over the numeric values given (the values
// observed in a column): level i (1-based) puts each value into an interval of
// width widths[i-1], aligned at 0, and the last level is "*". Integer data gets
// labels "35-39"; data with fractions gets half-open labels "[35, 40)". Each
// width must be positive and a multiple of the previous one, so that every
// interval lies inside one interval of the next level. A value that is not a
// finite number is an error, which does not contain the value.
func Intervals(values []string, widths []float64) (*Hierarchy, error) {
	if err := CheckWidths(widths); err != nil {
		return nil, err
	}
	return buildIntervals(values, widths)
}

// CheckWidths reports whether widths suit [Intervals]: at least one, each
// positive and a multiple of the previous one.
func CheckWidths(widths []float64) error {
	if len(widths) == 0 {
		return errors.New("intervals: want at least one width")
	}
	for i, w := range widths {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("intervals: width %d must be a positive number", i+1)
		}
		if i > 0 && !isMultiple(w, widths[i-1]) {
			return fmt.Errorf("intervals: width %d must be a multiple of width %d", i+1, i)
		}
	}
	return nil
}

// buildIntervals is Intervals after the widths are checked.
func buildIntervals(values []string, widths []float64) (*Hierarchy, error) {
	nums := make([]float64, len(values))
	integral := true
	for i, v := range values {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("intervals: value %d of the column is not a number", i+1)
		}
		nums[i] = f
		if f != math.Trunc(f) {
			integral = false
		}
	}
	for _, w := range widths {
		if w != math.Trunc(w) {
			integral = false
		}
	}

	rows := make([][]string, len(values))
	for i, v := range values {
		row := make([]string, 0, len(widths)+2)
		row = append(row, v)
		for _, w := range widths {
			lo := math.Floor(nums[i]/w) * w
			row = append(row, intervalLabel(lo, w, integral))
		}
		rows[i] = append(row, "*")
	}
	return FromLevels(rows)
}

func isMultiple(w, prev float64) bool {
	q := w / prev
	return q >= 1 && math.Abs(q-math.Round(q)) < 1e-9
}

func intervalLabel(lo, w float64, integral bool) string {
	format := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if integral {
		return format(lo) + "-" + format(lo+w-1)
	}
	return "[" + format(lo) + ", " + format(lo+w) + ")"
}

// Dates builds a hierarchy over civil dates written YYYY-MM-DD (anything after
// the first ten characters, such as a time, is ignored): level 1 is the month
// "1885-03", level 2 the year "1885", level 3 the decade "1880s", level 4 "*".
// Dates are calendar dates: no time zone is involved. A value that is not a
// valid date is an error, which does not contain the value.
func Dates(values []string) (*Hierarchy, error) {
	rows := make([][]string, len(values))
	for i, v := range values {
		y, m, ok := parseCivilDate(strings.TrimSpace(v))
		if !ok {
			return nil, fmt.Errorf("dates: value %d of the column is not a YYYY-MM-DD date", i+1)
		}
		decade := y - y%10
		rows[i] = []string{
			v,
			fmt.Sprintf("%04d-%02d", y, m),
			fmt.Sprintf("%04d", y),
			fmt.Sprintf("%04ds", decade),
			"*",
		}
	}
	return FromLevels(rows)
}

// parseCivilDate reads YYYY-MM-DD at the start of s and checks the day
// against the month's length in the proleptic Gregorian calendar.
func parseCivilDate(s string) (year, month int, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, false
	}
	if len(s) > 10 && s[10] != 'T' && s[10] != ' ' {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || y < 0 || m < 1 || m > 12 || d < 1 {
		return 0, 0, false
	}
	if d > daysIn(y, m) {
		return 0, 0, false
	}
	return y, m, true
}

func daysIn(y, m int) int {
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

// MaskSuffix builds a hierarchy that masks one more character (rune) at the
// end of each value per level: "02134" -> "0213*" -> "021**" -> ... ->
// "*****", then "*". The number of masking levels is the length of the
// longest value; a shorter value is fully masked early and stays so.
func MaskSuffix(values []string) (*Hierarchy, error) {
	longest := 0
	for _, v := range values {
		longest = max(longest, utf8.RuneCountInString(v))
	}

	rows := make([][]string, len(values))
	for i, v := range values {
		runes := []rune(v)
		row := make([]string, 0, longest+2)
		row = append(row, v)
		for l := 1; l <= longest; l++ {
			keep := max(len(runes)-l, 0)
			row = append(row, string(runes[:keep])+strings.Repeat("*", len(runes)-keep))
		}
		rows[i] = append(row, "*")
	}
	return FromLevels(rows)
}

package detect

import (
	"strings"
	"time"
	"unicode"
)

// isDateLike reports NNNN-NN-NN and NN/NN/NNNN shapes, which are never
// phones.
func isDateLike(v string) bool {
	_, ok := parseDate(v)
	return ok
}

// dateLayouts are the date forms recognised, most common first.
var dateLayouts = []string{
	"2006-01-02", "1/2/2006", "01/02/2006", "2/1/2006", "02.01.2006", "2006/01/02",
	"2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05",
	"Jan 2, 2006", "2 Jan 2006", "January 2, 2006", "20060102",
}

// parseDate parses v in one of dateLayouts.
func parseDate(v string) (time.Time, bool) {
	if len(v) < 8 || len(v) > 35 || !couldBeDate(v) {
		return time.Time{}, false
	}
	return parseDateLayouts(v)
}

// parseDateLayouts tries every layout of dateLayouts on v.
func parseDateLayouts(v string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// couldBeDate is false for a value that no layout of dateLayouts can
// parse, judged by how it starts: every layout starts with a letter (a
// month name) or a run of 1, 2, 4 or 8 digits ("2", "02", "2006",
// "20060102"). Phone numbers, which start with '+', '(' or three digits,
// are then rejected without a failed time.Parse per layout, each of which
// allocates an error. TestCouldBeDate keeps it in step with dateLayouts.
func couldBeDate(v string) bool {
	digits := 0
	for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
		digits++
	}
	if digits == 0 {
		c := v[0] | 0x20 // lower case for ASCII letters
		return c >= 'a' && c <= 'z'
	}
	return digits == 1 || digits == 2 || digits == 4 || digits == 8
}

// plausibleBirth reports a date between 1900 and today.
func plausibleBirth(t time.Time) bool {
	return t.Year() >= 1900 && t.Before(time.Now())
}

// words splits v into words at spaces.
func words(v string) []string { return strings.Fields(v) }

// isNameWord reports a capitalised or all-caps word of letters, with
// apostrophes, hyphens and dots allowed inside.
func isNameWord(w string) bool {
	first := true
	for _, r := range w {
		if first {
			if !unicode.IsUpper(r) {
				return false
			}
			first = false
			continue
		}
		if !unicode.IsLetter(r) && r != '\'' && r != '-' && r != '.' {
			return false
		}
	}
	return !first
}

// isPersonName reports one to four name words, one of them a known first or
// last name.
func isPersonName(v string) bool {
	ws := words(v)
	if len(ws) == 0 || len(ws) > 4 {
		return false
	}
	known := false
	for _, w := range ws {
		if !isNameWord(w) {
			return false
		}
		if isFirstName(w) || isLastName(w) {
			known = true
		}
	}
	return known
}

// isNameShaped is a looser person-name test used with a column name hint.
func isNameShaped(v string) bool {
	ws := words(v)
	if len(ws) == 0 || len(ws) > 4 {
		return false
	}
	for _, w := range ws {
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '\'' && r != '-' && r != '.' {
				return false
			}
		}
	}
	return true
}

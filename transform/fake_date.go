package transform

import "time"

// The range of fake dates of birth, as civil dates.
var (
	dobFirst = time.Date(1940, time.January, 1, 0, 0, 0, 0, time.UTC)
	dobDays  = int(time.Date(2005, time.December, 31, 0, 0, 0, 0, time.UTC).
			Sub(dobFirst).Hours()/24) + 1
)

// zoneUTC is the zone suffix written for RFC 3339 input in UTC.
var zoneUTC = []byte("Z")

// The date layouts date_of_birth recognizes.
const (
	layoutISO       = "2006-01-02"
	layoutUSPadded  = "01/02/2006"
	layoutUS        = "1/2/2006"
	layoutRFC3339At = "T00:00:00"
)

// fakeDateOfBirth writes a civil date between 1940-01-01 and 2005-12-31 in
// the layout of the input (see dateLayout). For RFC 3339 input the time is
// midnight and the input's offset text is kept, so no time zone is consulted.
func fakeDateOfBirth(w *Worker, _, in, dst []byte) []byte {
	layout, zone := dateLayout(in)
	t := dobFirst.AddDate(0, 0, w.Rand().IntN(dobDays))
	dst = t.AppendFormat(dst, layout)
	if zone != nil {
		dst = append(dst, layoutRFC3339At...)
		dst = append(dst, zone...)
	}
	return dst
}

// dateLayout returns the layout of in: ISO 2006-01-02, US 01/02/2006 or
// 1/2/2006 (month first), or RFC 3339, for which it returns the ISO layout
// and the zone suffix ("Z" or "+hh:mm"). Anything else gets the ISO layout.
func dateLayout(in []byte) (layout string, zone []byte) {
	if z := rfc3339Zone(in); z != nil {
		return layoutISO, z
	}
	if layout, ok := usLayout(in); ok {
		return layout, nil
	}
	return layoutISO, nil
}

// rfc3339Zone returns the zone suffix of an RFC 3339 timestamp, or nil.
func rfc3339Zone(in []byte) []byte {
	if len(in) < 20 || (in[10] != 'T' && in[10] != 't') {
		return nil
	}
	if _, err := time.Parse(time.RFC3339Nano, string(in)); err != nil {
		return nil
	}
	if c := in[len(in)-1]; c == 'Z' || c == 'z' {
		return zoneUTC
	}
	return in[len(in)-6:]
}

// usLayout recognizes month/day/year with a 4-digit year and returns the
// padded layout when month and day both have two digits.
func usLayout(in []byte) (string, bool) {
	var parts [3][]byte
	n, start := 0, 0
	for i := 0; i <= len(in); i++ {
		if i == len(in) || in[i] == '/' {
			if n == 3 {
				return "", false
			}
			parts[n], n, start = in[start:i], n+1, i+1
		}
	}
	if n != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 ||
		len(parts[1]) > 2 || len(parts[2]) != 4 {
		return "", false
	}

	m, okM := atoiDigits(parts[0])
	d, okD := atoiDigits(parts[1])
	y, okY := atoiDigits(parts[2])
	if !okM || !okD || !okY || !validDate(y, m, d) {
		return "", false
	}
	if len(parts[0]) == 2 && len(parts[1]) == 2 {
		return layoutUSPadded, true
	}
	return layoutUS, true
}

// atoiDigits parses a short run of ASCII digits.
func atoiDigits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

// validDate reports whether y-m-d is a real civil date.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

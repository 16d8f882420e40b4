package main

import (
	"strings"

	"github.com/anon-data/anon/detect"
)

// headerDataKinds are the kinds of personal data whose shape no column name
// has: a CSV header field of one of them is a data row read as the header
// (the file has no header line and --no-header was left off). Names and
// addresses are left out, as a column may well be called "Jordan" or
// "Main Street".
var headerDataKinds = map[detect.Kind]string{
	detect.Email:      "an email address",
	detect.Phone:      "a phone number",
	detect.NationalID: "a national ID",
	detect.CreditCard: "a card number",
	detect.IBAN:       "an IBAN",
	detect.IPv4:       "an IPv4 address",
	detect.IPv6:       "an IPv6 address",
	detect.MAC:        "a MAC address",
}

// minHeaderDigits is how many digits make a name of digits and phone
// punctuation look like a number rather than a column name.
const minHeaderDigits = 7

// headerDataKind is the readers' formats.ReadOptions.HeaderCheck: it returns
// what the header name looks like when it has the shape of personal data, or
// "". It refuses a name that is one of headerDataKinds as a whole or holds
// one ("mailto:a@b.org", "Ann <a@b.org>"), a name with an "@" between two
// words and no space (an address whose domain has no dot), and a name of
// at least minHeaderDigits digits with nothing else but phone punctuation
// ("4155552671", "tel:+1 415 555 2671"): no column is named so.
func headerDataKind(name string) string {
	for _, k := range detect.ValueKinds(name) {
		if what, ok := headerDataKinds[k]; ok {
			return what
		}
	}
	for _, sp := range detect.FindSpans(name) {
		if what, ok := headerDataKinds[sp.Kind]; ok {
			return what
		}
	}

	trimmed := strings.TrimSpace(name)
	if at := strings.IndexByte(trimmed, '@'); at > 0 && at < len(trimmed)-1 &&
		!strings.ContainsAny(trimmed, " \t") {
		return "an email address"
	}
	if digitsOnly(strings.TrimPrefix(strings.ToLower(trimmed), "tel:")) {
		return "a number"
	}
	return ""
}

// digitsOnly reports whether s holds at least minHeaderDigits digits and
// nothing but digits, spaces and the punctuation of phone numbers.
func digitsOnly(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case strings.IndexByte(" +-.()/", c) >= 0:
		default:
			return false
		}
	}
	return digits >= minHeaderDigits
}

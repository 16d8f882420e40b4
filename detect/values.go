package detect

import (
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ValueKinds returns the kinds that the whole cell v validates as, most
// specific first; nil when none. It reports only kinds that need no
// context: email, phone (written with a country code or separators), person
// name (every word a name, one a known first or last name), street address,
// national ID (a US SSN written NNN-NN-NNNN), credit card, IBAN, IPv4, IPv6,
// MAC, UUID and URL. Zip codes, cities and dates of birth look like other
// data and need a column name; see [NameHint] and [Profiler].
func ValueKinds(v string) []Kind {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 512 {
		return nil
	}
	var out []Kind
	for _, c := range valueCheckers {
		if c.ok(v) {
			out = append(out, c.kind)
		}
	}
	return out
}

// valueCheckers are the context-free validators, most specific first.
var valueCheckers = []struct {
	kind Kind
	ok   func(string) bool
}{
	{UUID, isUUID},
	{Email, isEmail},
	{IBAN, isIBAN},
	{CreditCard, isCard},
	{MAC, isMAC},
	{IPv6, isIPv6},
	{IPv4, isIPv4},
	{URL, isURL},
	{NationalID, isSSN},
	{Phone, isFormattedPhone},
	{StreetAddress, isStreetAddress},
	{PersonName, isPersonName},
}

// isUUID reports the 8-4-4-4-12 hexadecimal form.
func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := v[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isEmail checks local@domain with a dotted domain and an alphabetic TLD.
func isEmail(v string) bool {
	at := strings.LastIndexByte(v, '@')
	if at < 1 || at > 64 || len(v)-at-1 < 4 {
		return false
	}
	local, domain := v[:at], v[at+1:]
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("@<>()[]\\,;:\"", c) >= 0 {
			return false
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' {
		return false
	}
	return isDomain(domain)
}

// isDomain checks a dotted host name whose last label is 2+ letters.
func isDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(isDigit(c) || c == '-' || c|0x20 >= 'a' && c|0x20 <= 'z') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// digitsOnly returns the digits of v if v holds only digits, spaces and
// dashes, else "".
func digitsOnly(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case isDigit(c):
			b.WriteByte(c)
		case c == ' ' || c == '-':
		default:
			return ""
		}
	}
	return b.String()
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(d string) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if (len(d)-i)%2 == 0 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// cardPrefix reports whether d starts like a payment card: its first digit
// (the major industry identifier) is 3 (travel: Amex, Diners, JCB), 4 or 5
// (banking: Visa, Mastercard, Maestro), 6 (Discover, UnionPay, Maestro) or 8
// (UnionPay), or it is in Mastercard's 2221-2720 range. Numbers starting
// with 0, 1, 7 or 9 (and most with 2) are not cards.
func cardPrefix(d string) bool {
	switch d[0] {
	case '3', '4', '5', '6', '8':
		return true
	case '1':
		return strings.HasPrefix(d, "1800") // legacy JCB
	case '2':
		p4 := atoi(d[:4])
		return p4 >= 2221 && p4 <= 2720 || p4 == 2131
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// isCard checks a card number: 12-19 digits (spaces or dashes allowed), a
// known scheme prefix and length, and the Luhn check digit.
func isCard(v string) bool {
	d := digitsOnly(v)
	if len(d) < 12 || len(d) > 19 {
		return false
	}
	return cardPrefix(d) && luhn(d)
}

// ibanLengths are the IBAN lengths of common countries; others need 15-34.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
	"DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21,
	"HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "TR": 26,
}

// isIBAN checks ISO 13616: country letters, check digits, and mod 97 = 1.
func isIBAN(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	if !(s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z') ||
		!isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	if n, ok := ibanLengths[s[:2]]; ok && n != len(s) {
		return false
	}
	return ibanMod97(s) == 1
}

// ibanMod97 computes the ISO 7064 remainder of the rearranged IBAN, or -1.
func ibanMod97(s string) int {
	r := s[4:] + s[:4]
	m := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case isDigit(c):
			m = (m*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			m = (m*100 + int(c-'A'+10)) % 97
		default:
			return -1
		}
	}
	return m
}

// isMAC checks a 6-byte MAC address written with ':', '-' or '.'.
func isMAC(v string) bool {
	if len(v) != 17 && len(v) != 14 {
		return false
	}
	hw, err := net.ParseMAC(v)
	return err == nil && len(hw) == 6
}

func isIPv4(v string) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

func isIPv6(v string) bool {
	if strings.Count(v, ":") < 2 || len(v) < 3 {
		return false
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is6() && !a.IsUnspecified()
}

// isURL checks an absolute URL with a web-like scheme and a host.
func isURL(v string) bool {
	if strings.ContainsAny(v, " \t") {
		return false
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp", "ftps", "ws", "wss":
		return true
	}
	return false
}

// isSSN checks a US Social Security number written NNN-NN-NNNN: area not
// 000, 666 or 900-999, group not 00, serial not 0000.
func isSSN(v string) bool {
	if len(v) != 11 || v[3] != '-' || v[6] != '-' {
		return false
	}
	return ssnDigits(v[:3] + v[4:6] + v[7:])
}

// ssnDigits applies the SSN rules to 9 digits.
func ssnDigits(d string) bool {
	if len(d) != 9 {
		return false
	}
	for i := 0; i < 9; i++ {
		if !isDigit(d[i]) {
			return false
		}
	}
	area := atoi(d[:3])
	return area != 0 && area != 666 && area < 900 && d[3:5] != "00" && d[5:] != "0000"
}

// phoneShape reports whether v is made of phone characters with 7-15
// digits, and whether it carries formatting (a leading +, parentheses,
// spaces, dots or dashes).
func phoneShape(v string) (ok, formatted bool) {
	digits := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isDigit(c):
			digits++
		case c == '+' && i == 0, c == '(' || c == ')' || c == ' ' || c == '-' || c == '.':
			formatted = true
		default:
			return false, false
		}
	}
	return digits >= 7 && digits <= 15, formatted
}

// loosePhoneShape reports whether v looks like a phone number of any country
// without a country code: 6-15 digits in at least two groups separated by
// spaces, dashes, dots or parentheses (`84 23 30`, `21 259 903 5696`). Only
// used together with a column name that says phone.
func loosePhoneShape(v string) bool {
	digits, groups, inGroup := 0, 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isDigit(c):
			digits++
			if !inGroup {
				groups++
			}
			inGroup = true
		case c == '+' && i == 0, c == '(' || c == ')' || c == ' ' || c == '-' || c == '.':
			inGroup = false
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15 && (groups >= 2 || digits >= 7)
}

// isPhone validates v as a phone number with libphonenumber's metadata,
// assuming region (e.g. "US") when v has no +country code. Values with one
// or more than two dots are rejected first. Simple shapes of calling codes 1
// and 44 (10 national digits with common separators) are answered by the
// regexp-free fast path in phonefast.go, which gives the library's answer;
// everything else goes to [isPhoneByLibrary].
func isPhone(v, region string) bool {
	if strings.Count(v, ".") > 0 && strings.Count(v, ".") != 2 {
		return false // decimals and versions, not phones
	}
	if valid, handled := fastPhones.fastIsPhone(v, region); handled {
		return valid
	}
	return isPhoneByLibrary(v, region)
}

// isPhoneByLibrary is isPhone's answer from the library alone: Parse, then
// IsValidNumber, with v assumed to be from region when it has no +code.
func isPhoneByLibrary(v, region string) bool {
	n, err := phonenumbers.Parse(v, region)
	if err != nil {
		return false
	}
	// For calling code 1, IsValidNumber tries the 25 NANP regions in turn,
	// the US first; a number valid for the US is therefore valid, and
	// checking the US alone first skips the walk for most numbers.
	// TestIsPhoneUSFirst keeps this equal to IsValidNumber.
	if n.GetCountryCode() == 1 && phonenumbers.IsValidNumberForRegion(n, "US") {
		return true
	}
	return phonenumbers.IsValidNumber(n)
}

// isFormattedPhone is a phone number written with formatting, so that bare
// digit strings (IDs, amounts) do not count without a column name hint.
func isFormattedPhone(v string) bool {
	ok, formatted := phoneShape(v)
	if !ok || !formatted || isDateLike(v) {
		return false
	}
	return isPhone(v, "US") || isPhone(v, "GB")
}

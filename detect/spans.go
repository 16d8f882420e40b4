package detect

import (
	"regexp"
	"sort"
	"strings"
)

// spanFinders look for candidates of one kind with a regular expression;
// each candidate is then checked by a validator (Luhn, mod 97, SSN rules,
// libphonenumber, net/netip...). Earlier finders win overlaps, so a UUID
// or an email is never re-read as a phone number.
//
// need is a cheap necessary condition for the finder to find a span, read
// from the text's character counts (what the expression or the validator
// must see). Most free text has no '@', few digits and no colons, and
// running a dozen regular expressions over every value costs tens of
// microseconds. need must never be false where the finder could find a
// span; TestFindSpansPrefilter checks that it changes no result.
//
// from, when set, returns the first index of text at which a match can
// start (len(text) when none can), so that the expression, which has no
// literal prefix to skip ahead with, is not tried at every earlier index.
// It is only set for expressions with no assertion that looks before the
// match (\b, ^), so that matching text[from:] finds the same matches.
var spanFinders = []struct {
	kind Kind
	re   *regexp.Regexp
	ok   func(text string, start, end int) (int, int, bool)
	need func(c *charCounts) bool
	from func(text string) int
}{
	{URL, regexp.MustCompile(`(?i)\b(?:https?|ftps?|wss?)://[^\s<>"'` + "`" + `]+`), urlSpan,
		func(c *charCounts) bool { return c.schemeSep }, nil},
	{Email, regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`),
		emailSpan, func(c *charCounts) bool { return c.at > 0 && c.dot > 0 }, emailFrom},
	{UUID, regexp.MustCompile(`\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-` +
		`[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b`), whole(isUUID),
		func(c *charCounts) bool { return c.dash >= 4 && c.n >= 36 }, nil},
	{MAC, regexp.MustCompile(`\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b`), whole(isMAC),
		func(c *charCounts) bool { return c.colon+c.dash >= 5 }, nil},
	{IBAN, regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`), ibanSpan,
		func(c *charCounts) bool { return c.upper >= 2 && c.digits >= 2 && c.n >= 15 }, nil},
	{IPv6, regexp.MustCompile(`(?i)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}` +
		`(?:(?:\d{1,3}\.){3}\d{1,3})?`), ipv6Span,
		func(c *charCounts) bool { return c.colon >= 2 }, nil},
	{IPv4, regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}\b`), ipv4Span,
		func(c *charCounts) bool { return c.dot >= 3 && c.digits >= 4 }, nil},
	{NationalID, regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b|\b\d{9}\b`), ssnSpan,
		// Either form: two dashes, or a run of nine digits.
		func(c *charCounts) bool { return c.digits >= 9 && (c.dash >= 2 || c.digitRun >= 9) },
		nil},
	{CreditCard, regexp.MustCompile(`\b\d(?:[ -]?\d){11,18}\b`), whole(isCard),
		func(c *charCounts) bool { return c.digits >= 12 }, nil},
	{DateOfBirth, regexp.MustCompile(`\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|` +
		`\d{1,2}\.\d{1,2}\.\d{4})\b`), dobSpan,
		// Each form has two separators of one kind: '-', '/' or '.'.
		func(c *charCounts) bool {
			return c.digits >= 6 && (c.dash >= 2 || c.slash >= 2 || c.dot >= 2)
		}, nil},
	{Phone, regexp.MustCompile(`(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,16}\d`),
		// phoneSpan accepts 7 to 15 digits only (phoneShape).
		phoneSpan, func(c *charCounts) bool { return c.digits >= 7 }, phoneFrom},
	{StreetAddress, regexp.MustCompile(`\b\d{1,6}[A-Za-z]?(?: [A-Z][\p{L}'.-]*){1,4}` +
		`(?: [A-Za-z][\p{L}.]*)?`), addressSpan,
		func(c *charCounts) bool { return c.digits >= 1 && c.upper >= 1 }, nil},
	{PersonName, regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra)\.? ` +
		`\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+)?`), nameSpan,
		func(c *charCounts) bool { return c.upper >= 2 || c.upper >= 1 && c.nonASCII }, nil},
	{PersonName, regexp.MustCompile(`\b\p{Lu}[\p{L}'-]+ \p{Lu}[\p{L}'-]+` +
		`(?: \p{Lu}[\p{L}'-]+)?`), nameSpan,
		func(c *charCounts) bool { return c.upper >= 2 || c.nonASCII }, nil},
}

// charCounts are the character counts that the finders' need conditions
// read. Letters outside ASCII are not classified: nonASCII makes every
// condition on capital letters hold.
type charCounts struct {
	n, digits, upper, at, dot, dash, colon, slash int
	digitRun                                      int // the longest run of digits
	nonASCII, schemeSep                           bool
}

func countChars(text string) charCounts {
	c := charCounts{n: len(text)}
	run := 0 // digits since the last non-digit
	for i := 0; i < len(text); i++ {
		b := text[i]
		if b >= '0' && b <= '9' {
			c.digits++
			run++
			c.digitRun = max(c.digitRun, run)
			continue
		}
		run = 0
		switch {
		case b >= 'A' && b <= 'Z':
			c.upper++
		case b == '@':
			c.at++
		case b == '.':
			c.dot++
		case b == '-':
			c.dash++
		case b == ':':
			c.colon++
		case b == '/':
			c.slash++
		case b >= 0x80:
			c.nonASCII = true
		}
	}
	c.schemeSep = c.colon > 0 && strings.Contains(text, "://")
	return c
}

// FindSpans returns the PII spans found in text, in order, not
// overlapping. Candidates are validated as a whole (a card number must pass
// Luhn, an IBAN mod 97, a phone number libphonenumber), and a bare number
// is a phone number, an SSN or a date of birth only next to a word that
// says so ("call", "SSN", "born").
func FindSpans(text string) []Span {
	return findSpans(text, true)
}

// findSpans is FindSpans; prefilter false runs every finder, for tests.
func findSpans(text string, prefilter bool) []Span {
	if len(text) < 5 {
		return nil
	}
	counts := countChars(text)
	var spans []Span
	taken := func(s, e int) bool {
		for _, sp := range spans {
			if s < sp.End && e > sp.Start {
				return true
			}
		}
		return false
	}
	for _, f := range spanFinders {
		if prefilter && !f.need(&counts) {
			continue
		}
		from := 0
		if prefilter && f.from != nil {
			from = f.from(text)
		}
		for _, m := range f.re.FindAllStringIndex(text[from:], -1) {
			s, e, ok := f.ok(text, from+m[0], from+m[1])
			if ok && s < e && !taken(s, e) {
				spans = append(spans, Span{Start: s, End: e, Kind: f.kind})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return spans
}

// emailFrom is where an email match can start: the run of local-part
// characters before the first '@'. A match holds an '@' with only
// local-part characters between its start and that '@', so it cannot start
// before the run that ends at the first one.
func emailFrom(text string) int {
	at := strings.IndexByte(text, '@')
	if at < 0 {
		return len(text)
	}
	i := at
	for i > 0 && isEmailLocalByte(text[i-1]) {
		i--
	}
	return i
}

// isEmailLocalByte is the class [A-Za-z0-9._%+'-] of the email expression.
func isEmailLocalByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
		strings.IndexByte("._%+'-", b) >= 0
}

// phoneFrom is where a phone match can start: its first character is '+',
// '(' or a digit.
func phoneFrom(text string) int {
	if i := strings.IndexAny(text, "+(0123456789"); i >= 0 {
		return i
	}
	return len(text)
}

// whole adapts a whole-value validator.
func whole(ok func(string) bool) func(string, int, int) (int, int, bool) {
	return func(t string, s, e int) (int, int, bool) { return s, e, ok(t[s:e]) }
}

// trimPunct drops trailing sentence punctuation from a candidate.
func trimPunct(t string, s, e int) int {
	for e > s && strings.IndexByte(".,;:!?)]}'\"", t[e-1]) >= 0 {
		if t[e-1] == ')' && strings.Count(t[s:e], "(") >= strings.Count(t[s:e], ")") {
			break
		}
		e--
	}
	return e
}

func urlSpan(t string, s, e int) (int, int, bool) {
	e = trimPunct(t, s, e)
	return s, e, isURL(t[s:e])
}

func emailSpan(t string, s, e int) (int, int, bool) {
	e = trimPunct(t, s, e)
	for s < e && (t[s] == '.' || t[s] == '\'') {
		s++
	}
	return s, e, isEmail(t[s:e])
}

// ibanSpan drops trailing groups until the checksum holds.
func ibanSpan(t string, s, e int) (int, int, bool) {
	for e-s >= 15 {
		if isIBAN(t[s:e]) {
			return s, e, true
		}
		i := strings.LastIndexByte(t[s:e], ' ')
		if i < 0 {
			break
		}
		e = s + i
	}
	return s, e, false
}

// boundary reports whether the candidate stands alone: not glued to letters,
// digits or dots that would make it part of a longer token.
func boundary(t string, s, e int) bool {
	if s > 0 {
		c := t[s-1]
		if isDigit(c) || isLetter(c) || c == '.' || c == ':' {
			return false
		}
	}
	if e < len(t) {
		c := t[e]
		if isDigit(c) || isLetter(c) || c == ':' || c == '.' && e+1 < len(t) && isDigit(t[e+1]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func ipv6Span(t string, s, e int) (int, int, bool) {
	e = trimPunct(t, s, e)
	return s, e, boundary(t, s, e) && strings.ContainsAny(t[s:e], "0123456789abcdefABCDEF") &&
		isIPv6(t[s:e])
}

func ipv4Span(t string, s, e int) (int, int, bool) {
	return s, e, boundary(t, s, e) && isIPv4(t[s:e])
}

// contextBefore reports whether one of words occurs (case-insensitively)
// within the 30 bytes before s.
func contextBefore(t string, s int, words ...string) bool {
	from := max(0, s-30)
	win := strings.ToLower(t[from:s])
	for _, w := range words {
		if strings.Contains(win, w) {
			return true
		}
	}
	return false
}

var ssnWords = []string{"ssn", "social security", "soc. sec", "ss#", "nss", "sozialversicherung"}

func ssnSpan(t string, s, e int) (int, int, bool) {
	v := t[s:e]
	if len(v) == 11 {
		return s, e, isSSN(v)
	}
	return s, e, contextBefore(t, s, ssnWords...) && ssnDigits(v)
}

var birthWords = []string{"born", "birth", "dob", "d.o.b", "nacimiento", "nacido", "geboren",
	"né le", "née le"}

func dobSpan(t string, s, e int) (int, int, bool) {
	d, ok := parseDate(t[s:e])
	return s, e, ok && plausibleBirth(d) && contextBefore(t, s, birthWords...)
}

var phoneWords = []string{"phone", "call", "tel", "mobile", "cell", "fax", "whatsapp",
	"sms", "text me", "contact", "reach", "dial", "número", "numero", "telefon"}

func phoneSpan(t string, s, e int) (int, int, bool) {
	for e > s && (t[e-1] == ' ' || t[e-1] == '.' || t[e-1] == '-') {
		e--
	}
	v := t[s:e]
	if !boundary(t, s, e) {
		return s, e, false
	}
	ok, formatted := phoneShape(v)
	if !ok || isDateLike(v) || strings.Count(v, " ") > 4 {
		return s, e, false
	}
	if !formatted && !contextBefore(t, s, phoneWords...) {
		return s, e, false
	}
	if strings.HasPrefix(v, "+") {
		return s, e, isPhone(v, "")
	}
	return s, e, isPhone(v, "US") || contextBefore(t, s, phoneWords...) && isPhone(v, "GB")
}

func addressSpan(t string, s, e int) (int, int, bool) {
	e = trimPunct(t, s, e)
	// Shrink from the right until the words end on a street word.
	for e > s {
		v := t[s:e]
		if isStreetAddress(v) && isStreetWord(lastWord(v)) {
			return s, e, true
		}
		i := strings.LastIndexByte(v, ' ')
		if i < 0 {
			break
		}
		e = s + i
	}
	return s, e, false
}

func lastWord(v string) string {
	ws := words(v)
	return ws[len(ws)-1]
}

var nameTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true,
	"mx": true, "dr": true, "prof": true, "sr": true, "sra": true}

// nameSpan accepts a title followed by a capitalised name, or two or three
// capitalised words whose first is a known first name and last a known
// last name ("Maria Garcia"). The title itself is not part of the span.
func nameSpan(t string, s, e int) (int, int, bool) {
	ws := words(t[s:e])
	if nameTitles[strings.ToLower(strings.TrimSuffix(ws[0], "."))] {
		s += len(ws[0]) + 1
		return s, e, true
	}
	// Try the longest run of words that starts with a first name and ends
	// with a last name ("Hello Maria Garcia" gives "Maria Garcia").
	off := s
	for i, w := range ws {
		if i > 0 {
			off += strings.Index(t[off:], w)
		}
		if !isFirstName(w) {
			off += len(w)
			continue
		}
		end := off + len(w)
		ok := false
		for _, x := range ws[i+1:] {
			end = strings.Index(t[end:], x) + end + len(x)
			if isLastName(x) {
				e, ok = end, true
			}
		}
		if ok {
			return off, e, true
		}
		off += len(w)
	}
	return s, e, false
}

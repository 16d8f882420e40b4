package detect

import (
	"cmp"
	"regexp"
	"slices"
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
// matches, when set, appends to dst what re.FindAllStringIndex(text, -1)
// would find,
// less matches the finder can be shown to reject, without running re: Go's
// regexp has no literal to skip ahead with in these expressions, and its
// backtracker costs about two microseconds per call even on a short run.
// TestSpanMatchers compares each with its expression on random strings.
var spanFinders = []spanFinder{
	{URL, regexp.MustCompile(`(?i)\b(?:https?|ftps?|wss?)://[^\s<>"'` + "`" + `]+`), urlSpan,
		func(c *charCounts) bool { return c.schemeSep }, nil},
	{Email, regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`),
		emailSpan, func(c *charCounts) bool { return c.at > 0 && c.dot > 0 }, emailMatches},
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
		// Either form: "-dd-" as in 078-05-1120, or a run of nine digits.
		func(c *charCounts) bool {
			return c.digits >= 9 && (c.digitRun >= 9 || c.dash >= 2 && twoDigitGroup(c.text))
		}, nil},
	{CreditCard, regexp.MustCompile(`\b\d(?:[ -]?\d){11,18}\b`), whole(isCard),
		func(c *charCounts) bool { return c.digits >= 12 }, nil},
	{DateOfBirth, regexp.MustCompile(`\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|` +
		`\d{1,2}\.\d{1,2}\.\d{4})\b`), dobSpan,
		// Each form has two separators of one kind: '-', '/' or '.', and
		// dobSpan wants a birth word before the date.
		func(c *charCounts) bool {
			return c.digits >= 6 && (c.dash >= 2 || c.slash >= 2 || c.dot >= 2) &&
				c.mentions(birthWords)
		}, nil},
	{Phone, regexp.MustCompile(`(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,16}\d`),
		// phoneSpan accepts 7 to 15 digits only (phoneShape).
		phoneSpan, func(c *charCounts) bool { return c.digits >= 7 }, phoneMatches},
	{StreetAddress, regexp.MustCompile(`\b\d{1,6}[A-Za-z]?(?: [A-Z][\p{L}'.-]*){1,4}` +
		`(?: [A-Za-z][\p{L}.]*)?`), addressSpan,
		func(c *charCounts) bool {
			return c.digits >= 1 && c.upper >= 1 && numberThenCapital(c.text)
		}, nil},
	{PersonName, regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra)\.? ` +
		`\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+)?`), nameSpan,
		func(c *charCounts) bool { return c.upper >= 2 || c.upper >= 1 && c.nonASCII }, nil},
	{PersonName, regexp.MustCompile(`\b\p{Lu}[\p{L}'-]+ \p{Lu}[\p{L}'-]+` +
		`(?: \p{Lu}[\p{L}'-]+)?`), nameSpan,
		func(c *charCounts) bool { return c.upper >= 2 || c.nonASCII }, nil},
}

// spanFinder is one entry of spanFinders.
type spanFinder struct {
	kind    Kind
	re      *regexp.Regexp
	ok      func(text string, start, end int) (int, int, bool)
	need    func(c *charCounts) bool
	matches func(dst [][2]int, text string) [][2]int
}

// charCounts are the character counts that the finders' need conditions
// read. Letters outside ASCII are not classified: nonASCII makes every
// condition on capital letters hold.
type charCounts struct {
	n, digits, upper, at, dot, dash, colon, slash int
	digitRun                                      int // the longest run of digits
	nonASCII, schemeSep                           bool

	text  string // the text counted
	lower string // text in lower case, once mentions has needed it
}

// mentions reports whether the text holds one of words (in lower case) in
// any case: contextBefore looks for them in a window of the text, in lower
// case, so a finder that needs one of them cannot accept a text without.
func (c *charCounts) mentions(words []string) bool {
	if c.lower == "" {
		c.lower = strings.ToLower(c.text)
	}
	for _, w := range words {
		if strings.Contains(c.lower, w) {
			return true
		}
	}
	return false
}

// The byte classes that countChars counts, and the class of every byte.
const (
	classOther = iota
	classDigit
	classUpper
	classAt
	classDot
	classDash
	classColon
	classSlash
	classNonASCII
	classCount
)

var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = classUpper
	}
	t['@'], t['.'], t['-'], t[':'], t['/'] = classAt, classDot, classDash, classColon, classSlash
	for c := 0x80; c < 0x100; c++ {
		t[c] = classNonASCII
	}
	return t
}()

func countChars(text string) charCounts {
	var n [classCount]int
	run, longest := 0, 0 // digits since the last non-digit, and the most
	for i := 0; i < len(text); i++ {
		k := byteClass[text[i]]
		n[k]++
		if k == classDigit {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	c := charCounts{n: len(text), digits: n[classDigit], upper: n[classUpper], at: n[classAt],
		dot: n[classDot], dash: n[classDash], colon: n[classColon], slash: n[classSlash],
		digitRun: longest, nonASCII: n[classNonASCII] > 0, text: text}
	c.schemeSep = c.colon > 0 && strings.Contains(text, "://")
	return c
}

// FindSpans returns the PII spans found in text, in order, not
// overlapping. Candidates are validated as a whole (a card number must pass
// Luhn, an IBAN mod 97, a phone number libphonenumber), and a bare number
// is a phone number, an SSN or a date of birth only next to a word that
// says so ("call", "SSN", "born"). A SpanScanner does the same without
// allocating from one text to the next.
func FindSpans(text string) []Span {
	var sc SpanScanner
	return sc.find(text, true)
}

// findSpans is FindSpans; prefilter false runs every finder, for tests.
func findSpans(text string, prefilter bool) []Span {
	var sc SpanScanner
	return sc.find(text, prefilter)
}

// A SpanScanner finds spans as FindSpans does, reusing its memory: the
// spans it returns are valid until its next Find. Its zero value is ready
// to use; it is not safe for concurrent use.
type SpanScanner struct {
	counts charCounts
	spans  []Span
	cands  [][2]int // candidates of one finder
}

// Find returns the PII spans found in text, as FindSpans does.
func (sc *SpanScanner) Find(text string) []Span {
	return sc.find(text, true)
}

func (sc *SpanScanner) find(text string, prefilter bool) []Span {
	sc.spans = sc.spans[:0]
	if len(text) < 5 {
		return nil
	}
	sc.counts = countChars(text)
	for i := range spanFinders {
		f := &spanFinders[i]
		if prefilter && !f.need(&sc.counts) {
			continue
		}
		if prefilter && f.matches != nil {
			sc.cands = f.matches(sc.cands[:0], text)
			for _, m := range sc.cands {
				sc.spans = f.add(sc.spans, text, m[0], m[1])
			}
			continue
		}
		for _, m := range f.re.FindAllStringIndex(text, -1) {
			sc.spans = f.add(sc.spans, text, m[0], m[1])
		}
	}
	if len(sc.spans) == 0 {
		return nil
	}
	if len(sc.spans) > 1 {
		slices.SortFunc(sc.spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	}
	return sc.spans
}

// add appends the span f's validator makes of the candidate [start, end)
// of text, if it accepts it and the span overlaps none of spans.
func (f *spanFinder) add(spans []Span, text string, start, end int) []Span {
	s, e, ok := f.ok(text, start, end)
	if !ok || s >= e {
		return spans
	}
	for _, sp := range spans {
		if s < sp.End && e > sp.Start {
			return spans
		}
	}
	return append(spans, Span{Start: s, End: e, Kind: f.kind})
}

// twoDigitGroup reports whether text has a dash, two digits and a dash, the
// middle of an SSN written 078-05-1120.
func twoDigitGroup(text string) bool {
	for i := 0; i+3 < len(text); i++ {
		if text[i] == '-' && isDigit(text[i+1]) && isDigit(text[i+2]) && text[i+3] == '-' {
			return true
		}
	}
	return false
}

// numberThenCapital reports whether text has a digit, then maybe one
// ASCII letter, then a space and a capital A-Z: how every street address
// match starts (\d{1,6}[A-Za-z]? [A-Z]).
func numberThenCapital(text string) bool {
	isUpper := func(i int) bool { return i < len(text) && text[i] >= 'A' && text[i] <= 'Z' }
	isSpace := func(i int) bool { return i < len(text) && text[i] == ' ' }
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) {
			continue
		}
		j := i + 1
		if j < len(text) && (text[j]|0x20 >= 'a' && text[j]|0x20 <= 'z') && isSpace(j+1) {
			j++
		}
		if isSpace(j) && isUpper(j+1) {
			return true
		}
	}
	return false
}

// emailBytes and phoneBytes are the bytes the email and the phone
// expressions can match: [A-Za-z0-9._%+'-] and '@', and digits and "+() .-".
var emailBytes, phoneBytes = byteSet("@._%+'-"), byteSet("+() .-")

// byteSet is the set of ASCII letters and digits (letters only for email)
// plus the bytes of extra.
func byteSet(extra string) (set [256]bool) {
	for c := '0'; c <= '9'; c++ {
		set[c] = true
	}
	if strings.IndexByte(extra, '@') >= 0 {
		for c := 'a'; c <= 'z'; c++ {
			set[c], set[c-'a'+'A'] = true, true
		}
	}
	for i := 0; i < len(extra); i++ {
		set[extra[i]] = true
	}
	return set
}

// runAround returns the maximal run of bytes of set around index i.
func runAround(text string, set *[256]bool, i int) (start, end int) {
	start, end = i, i
	for start > 0 && set[text[start-1]] {
		start--
	}
	for end < len(text) && set[text[end]] {
		end++
	}
	return start, end
}

// emailMatches appends to dst the matches of the email expression
// [A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+ in text, as
// FindAllStringIndex does. From a start, the local part runs to the next
// '@' (the class holds no '@'), and the domain is one label then as many
// ".label" as follow, at least one; no other split can match. So the
// leftmost match starts where the search does, when the local part is not
// empty and the domain holds; when the domain fails, every start before
// that '@' fails too and the search goes on after it.
func emailMatches(dst [][2]int, text string) [][2]int {
	pos := 0
	for pos < len(text) {
		at := strings.IndexByte(text[pos:], '@')
		if at < 0 {
			break
		}
		at += pos

		// The local part: the run of local bytes before the '@' (there is
		// no other '@' between pos and it).
		start := at
		for start > pos && emailBytes[text[start-1]] {
			start--
		}
		end := emailDomainEnd(text, at+1)
		if start == at || end < 0 {
			pos = at + 1
			continue
		}
		dst = append(dst, [2]int{start, end})
		pos = end
	}
	return dst
}

// emailDomainEnd matches [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+ greedily at i
// and returns its end, or -1.
func emailDomainEnd(text string, i int) int {
	label := func(i int) int { // the end of the label at i
		for i < len(text) && isDomainByte(text[i]) {
			i++
		}
		return i
	}
	end := label(i)
	if end == i {
		return -1
	}
	labels := 0
	for end+1 < len(text) && text[end] == '.' && isDomainByte(text[end+1]) {
		end = label(end + 1)
		labels++
	}
	if labels == 0 {
		return -1
	}
	return end
}

// isDomainByte is the class [A-Za-z0-9-] of the email expression's domain.
func isDomainByte(b byte) bool {
	return b == '-' || b != '.' && b != '_' && b != '%' && b != '+' && b != '\'' &&
		b != '@' && emailBytes[b]
}

// phoneMatches appends to dst the matches of the phone expression in the
// runs of phone bytes that hold at least 7 digits (phoneSpan rejects a
// match of fewer, and a match never leaves its run), as
// FindAllStringIndex finds them in each run (phoneMatchesIn).
func phoneMatches(dst [][2]int, text string) [][2]int {
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		start, end := runAround(text, &phoneBytes, i)
		digits := 0
		for j := start; j < end; j++ {
			if isDigit(text[j]) {
				digits++
			}
		}
		if digits >= 7 {
			dst = phoneMatchesIn(dst, text, start, end)
		}
		i = end
	}
	return dst
}

// phoneMatchesIn appends the leftmost-first matches of the phone expression
// (?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,16}\d in
// text[from:to], as Go's regexp finds them: at each start, the choices are
// tried in the order of its backtracker (an optional group taken before it
// is skipped, a repetition longest first), to dst.
func phoneMatchesIn(dst [][2]int, text string, from, to int) [][2]int {
	isSep := func(i int) bool {
		return i < to && (text[i] == ' ' || text[i] == '.' || text[i] == '-')
	}
	digitsAt := func(i, n int) bool { // n digits at i
		for k := range n {
			if i+k >= to || !isDigit(text[i+k]) {
				return false
			}
		}
		return true
	}
	// body matches \d[\d .-]{5,16}\d at i: the longest repetition whose
	// next byte is a digit.
	body := func(i int) int {
		if !digitsAt(i, 1) {
			return -1
		}
		n := 0
		for n < 16 && i+1+n < to && (isDigit(text[i+1+n]) || isSep(i+1+n)) {
			n++
		}
		for ; n >= 5; n-- {
			if digitsAt(i+1+n, 1) {
				return i + 2 + n
			}
		}
		return -1
	}
	// sepThen tries rest after the optional [ .-] at j: with it, then
	// without.
	sepThen := func(j int, rest func(int) int) int {
		if isSep(j) {
			if end := rest(j + 1); end >= 0 {
				return end
			}
		}
		return rest(j)
	}
	// afterArea tries the optional "(\d{1,4})[ .-]?" at i, then body.
	afterArea := func(i int) int {
		if i < to && text[i] == '(' {
			for n := 4; n >= 1; n-- {
				if !digitsAt(i+1, n) || i+1+n >= to || text[i+1+n] != ')' {
					continue
				}
				if end := sepThen(i+2+n, body); end >= 0 {
					return end
				}
			}
		}
		return body(i)
	}
	// at tries the optional "+\d{1,3}[ .-]?" at i, then the rest.
	at := func(i int) int {
		if text[i] == '+' {
			for n := 3; n >= 1; n-- {
				if !digitsAt(i+1, n) {
					continue
				}
				if end := sepThen(i+1+n, afterArea); end >= 0 {
					return end
				}
			}
		}
		return afterArea(i)
	}

	for i := from; i < to; {
		end := at(i)
		if end < 0 {
			i++
			continue
		}
		dst = append(dst, [2]int{i, end})
		i = end
	}
	return dst
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

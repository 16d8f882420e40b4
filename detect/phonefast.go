package detect

// This file holds a fast path for isPhone that gives exactly the answer of
// github.com/nyaruka/phonenumbers v1.8.1 (phonenumbers.Parse followed by
// phonenumbers.IsValidNumber) for the common shapes of phone numbers with
// calling code 1 (NANP) and 44 (UK), without running a regular expression.
//
// What is reproduced from the library:
//
//   - Parsing, for simple shapes only (see parseSimplePhone): a candidate made
//     of ASCII digits and the separators space . - ( ), with an optional
//     leading "+1" or "+44", and exactly 10 national digits, the first 2-9.
//     For such a string the library's parseHelper keeps every digit
//     (extractPossibleNumber only drops leading separators), finds no
//     extension (every extension form needs a letter, '#', '~', ',' or ';'),
//     and the national significant number (NSN) is the 10 digits once the
//     country code is removed: with a '+', the code is the shortest prefix
//     that is a known calling code (extractCountryCode); without it, the
//     default region's code, provided the digits start neither with its
//     international prefix (IDD) nor with the code itself. The national
//     prefix is stripped only when its pattern matches the start of the
//     NSN, so a match sends the candidate to the library. These three
//     prefix tests run the region's own patterns (as DFAs), so they stay
//     right even if the metadata changes; the first-digit rule makes them
//     redundant with today's data.
//   - Validation: GetRegionCodeForNumber (the single region of a calling
//     code, or the walk over its regions that takes the first one whose
//     leading-digits pattern matches the start of the NSN, or, for a region
//     without leading digits, whose number type is known), then
//     IsValidNumberForRegion through getNumberTypeHelper: the general
//     description first, then premium rate, toll free, shared cost, VoIP,
//     personal number, pager, UAN, voicemail, fixed line and mobile, with
//     SameMobileAndFixedLinePattern, each description also checked against
//     its possible lengths as isNumberPossibleForDesc does.
//
// Why it is exact: every pattern the library tests as "^(?:P)$" (a full
// match) or "^(?:P)" (a match at the start) is parsed with regexp/syntax in
// that same wrapped form, its anchors are taken off, and the rest is
// compiled to a program and turned into a deterministic automaton over the
// digits 0-9 by subset construction. NSNs contain only digits, so the
// automaton accepts exactly the NSNs the regexp matches. A program with an
// instruction this file does not model (an empty-width assertion such as a
// word boundary or an anchor inside the pattern) makes the whole calling
// code fall back to the library, as does metadata that is not shaped as
// expected. An empty pattern gives "^(?:)$", which only the empty string
// matches, and so does its automaton; NSNs are never empty.
//
// What is tested (phonefast_test.go): a seeded property test compares the
// fast path with Parse + IsValidNumber on over 200,000 candidates in many
// layouts, every area code 200-999 and the library's example numbers for
// the regions of calling codes 1 and 44; the automata are compared with Go's
// regexp on random digit strings; a benchmark shows both paths.
//
// Shortcoming: this mirrors the internals of phonenumbers v1.8.1 (its parse
// steps and the order of getNumberTypeHelper). A library upgrade may change
// them, so after an upgrade the property test must be rerun; it runs with
// the ordinary tests, against whatever version go.mod names.

import (
	"errors"
	"regexp/syntax"
	"slices"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// maxDFAStates bounds the subset construction; a pattern that needs more
// states makes its calling code fall back to the library.
const maxDFAStates = 1 << 14

// errUnsupportedPattern reports a pattern with an instruction the digit
// automaton does not model; the pattern itself is never part of the error.
var errUnsupportedPattern = errors.New("phone pattern not supported by the digit automaton")

// errUnexpectedMetadata reports metadata shaped unlike what the fast path
// assumes (a missing region, a region of another calling code).
var errUnexpectedMetadata = errors.New("phone metadata not shaped as the fast path expects")

// digitDFA is a deterministic automaton over the digits '0'-'9'. State 0 is
// the start; next[s][d] is the state after digit d, or -1 when no string
// with this beginning can match.
type digitDFA struct {
	next   [][10]int32
	accept []bool
}

// matchesWhole reports whether the regexp matches all of digits, like the
// library's "^(?:P)$". digits must hold only '0'-'9'.
func (a *digitDFA) matchesWhole(digits []byte) bool {
	state := int32(0)
	for _, c := range digits {
		state = a.next[state][c-'0']
		if state < 0 {
			return false
		}
	}
	return a.accept[state]
}

// matchesStart reports whether the regexp matches some beginning of digits
// (the empty one included), like the library's "^(?:P)".
func (a *digitDFA) matchesStart(digits []byte) bool {
	state := int32(0)
	if a.accept[state] {
		return true
	}
	for _, c := range digits {
		state = a.next[state][c-'0']
		if state < 0 {
			return false
		}
		if a.accept[state] {
			return true
		}
	}
	return false
}

// compileDigitDFA builds the automaton for pattern as the library uses it:
// wrapped as "^(?:pattern)$" when whole is true, else "^(?:pattern)".
func compileDigitDFA(pattern string, whole bool) (*digitDFA, error) {
	wrapped := "^(?:" + pattern + ")"
	if whole {
		wrapped += "$"
	}
	re, err := syntax.Parse(wrapped, syntax.Perl)
	if err != nil {
		return nil, err
	}
	body, err := stripAnchors(re, whole)
	if err != nil {
		return nil, err
	}
	prog, err := syntax.Compile(body.Simplify())
	if err != nil {
		return nil, err
	}
	return buildDFA(prog)
}

// stripAnchors takes the leading "^" (and, when whole, the trailing "$") off
// a parsed wrapped pattern and returns what lies between them.
func stripAnchors(re *syntax.Regexp, whole bool) (*syntax.Regexp, error) {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil, errUnsupportedPattern
	}
	subs := re.Sub[1:]
	if whole {
		if subs[len(subs)-1].Op != syntax.OpEndText {
			return nil, errUnsupportedPattern
		}
		subs = subs[:len(subs)-1]
	}
	switch len(subs) {
	case 0:
		return &syntax.Regexp{Op: syntax.OpEmptyMatch}, nil
	case 1:
		return subs[0], nil
	}
	return &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: slices.Clone(subs)}, nil
}

// buildDFA runs the subset construction on prog. A DFA state is the set of
// rune-reading and match instructions reachable without reading a digit.
func buildDFA(prog *syntax.Prog) (*digitDFA, error) {
	start, err := epsilonClosure(prog, []uint32{uint32(prog.Start)})
	if err != nil {
		return nil, err
	}
	dfa := &digitDFA{}
	index := map[string]int32{}
	var sets [][]uint32
	add := func(set []uint32) int32 {
		key := setKey(set)
		if id, ok := index[key]; ok {
			return id
		}
		id := int32(len(sets))
		index[key] = id
		sets = append(sets, set)
		dfa.next = append(dfa.next, [10]int32{})
		dfa.accept = append(dfa.accept, slices.ContainsFunc(set, func(pc uint32) bool {
			return prog.Inst[pc].Op == syntax.InstMatch
		}))
		return id
	}
	add(start)
	for id := 0; id < len(sets); id++ {
		if len(sets) > maxDFAStates {
			return nil, errUnsupportedPattern
		}
		for d := range 10 {
			var targets []uint32
			for _, pc := range sets[id] {
				if readsDigit(&prog.Inst[pc], rune('0'+d)) {
					targets = append(targets, prog.Inst[pc].Out)
				}
			}
			if len(targets) == 0 {
				dfa.next[id][d] = -1
				continue
			}
			set, err := epsilonClosure(prog, targets)
			if err != nil {
				return nil, err
			}
			if len(set) == 0 {
				dfa.next[id][d] = -1
				continue
			}
			dfa.next[id][d] = add(set)
		}
	}
	return dfa, nil
}

// readsDigit reports whether inst is a rune instruction that accepts digit.
func readsDigit(inst *syntax.Inst, digit rune) bool {
	switch inst.Op {
	case syntax.InstRune, syntax.InstRune1:
		return inst.MatchRune(digit)
	case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		return true
	}
	return false
}

// epsilonClosure follows the instructions that read nothing from pcs and
// returns the sorted set of rune and match instructions reached. An
// empty-width assertion is not modelled and gives errUnsupportedPattern.
func epsilonClosure(prog *syntax.Prog, pcs []uint32) ([]uint32, error) {
	seen := make(map[uint32]bool)
	var out []uint32
	stack := slices.Clone(pcs)
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		inst := &prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, inst.Out, inst.Arg)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, inst.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL,
			syntax.InstMatch:
			out = append(out, pc)
		case syntax.InstFail:
		default:
			return nil, errUnsupportedPattern
		}
	}
	slices.Sort(out)
	return out, nil
}

// setKey encodes a sorted instruction set as a map key.
func setKey(set []uint32) string {
	b := make([]byte, 0, 4*len(set))
	for _, pc := range set {
		b = strconv.AppendUint(b, uint64(pc), 36)
		b = append(b, ',')
	}
	return string(b)
}

// numberDesc is a compiled phonenumbers.PhoneNumberDesc: its possible
// lengths and its national number pattern.
type numberDesc struct {
	lengths []int32 // empty: any length, as in isNumberPossibleForDesc
	pattern *digitDFA
}

// compileNumberDesc compiles desc, which may be nil like the library's
// getters allow (a nil desc has an empty pattern).
func compileNumberDesc(desc *phonenumbers.PhoneNumberDesc) (numberDesc, error) {
	pattern, err := compileDigitDFA(desc.GetNationalNumberPattern(), true)
	if err != nil {
		return numberDesc{}, err
	}
	return numberDesc{lengths: slices.Clone(desc.GetPossibleLength()), pattern: pattern}, nil
}

// matches mirrors the library's isNumberMatchingDesc on an NSN: a possible
// length (when the desc lists any) and a full match of the pattern.
func (d *numberDesc) matches(nsn []byte) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.pattern.matchesWhole(nsn)
}

// regionRules holds one region's compiled metadata.
type regionRules struct {
	id string
	// leadingDigits is nil when the region has no leading-digits pattern.
	leadingDigits *digitDFA
	// internationalPrefix and nationalPrefix are compiled only for the first
	// region of a calling code, whose metadata Parse uses for these numbers;
	// nationalPrefix is nil when the metadata has none.
	internationalPrefix, nationalPrefix *digitDFA

	general, premiumRate, tollFree, sharedCost, voip, personalNumber, pager, uan,
	voicemail, fixedLine, mobile numberDesc
	sameMobileAndFixedLine bool
}

// compileRegionRules compiles the metadata of one region; its prefixes for
// parsing only when forParsing (the other regions' national prefixes may use
// anchors, and parsing never reads them).
func compileRegionRules(m *phonenumbers.PhoneMetadata, forParsing bool) (*regionRules,
	error) {
	r := &regionRules{id: m.GetId(), sameMobileAndFixedLine: m.GetSameMobileAndFixedLinePattern()}
	var err error
	if ld := m.GetLeadingDigits(); len(ld) > 0 {
		if r.leadingDigits, err = compileDigitDFA(ld, false); err != nil {
			return nil, err
		}
	}
	if forParsing {
		r.internationalPrefix, err = compileDigitDFA(m.GetInternationalPrefix(), false)
		if err != nil {
			return nil, err
		}
		if np := m.GetNationalPrefixForParsing(); len(np) > 0 {
			if r.nationalPrefix, err = compileDigitDFA(np, false); err != nil {
				return nil, err
			}
		}
	}
	descs := []struct {
		into *numberDesc
		from *phonenumbers.PhoneNumberDesc
	}{
		{&r.general, m.GetGeneralDesc()}, {&r.premiumRate, m.GetPremiumRate()},
		{&r.tollFree, m.GetTollFree()}, {&r.sharedCost, m.GetSharedCost()},
		{&r.voip, m.GetVoip()}, {&r.personalNumber, m.GetPersonalNumber()},
		{&r.pager, m.GetPager()}, {&r.uan, m.GetUan()}, {&r.voicemail, m.GetVoicemail()},
		{&r.fixedLine, m.GetFixedLine()}, {&r.mobile, m.GetMobile()},
	}
	for _, d := range descs {
		if *d.into, err = compileNumberDesc(d.from); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// numberType mirrors the library's getNumberTypeHelper, in its order.
func (r *regionRules) numberType(nsn []byte) phonenumbers.PhoneNumberType {
	switch {
	case !r.general.matches(nsn):
		return phonenumbers.UNKNOWN
	case r.premiumRate.matches(nsn):
		return phonenumbers.PREMIUM_RATE
	case r.tollFree.matches(nsn):
		return phonenumbers.TOLL_FREE
	case r.sharedCost.matches(nsn):
		return phonenumbers.SHARED_COST
	case r.voip.matches(nsn):
		return phonenumbers.VOIP
	case r.personalNumber.matches(nsn):
		return phonenumbers.PERSONAL_NUMBER
	case r.pager.matches(nsn):
		return phonenumbers.PAGER
	case r.uan.matches(nsn):
		return phonenumbers.UAN
	case r.voicemail.matches(nsn):
		return phonenumbers.VOICEMAIL
	case r.fixedLine.matches(nsn):
		if r.sameMobileAndFixedLine || r.mobile.matches(nsn) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	case !r.sameMobileAndFixedLine && r.mobile.matches(nsn):
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// callingCodeRules holds the compiled regions of one calling code, in the
// library's order; regions[0] is the code's main region.
type callingCodeRules struct {
	code    int
	prefix  string // the code in decimal, as the library compares it
	regions []*regionRules
}

// compileCallingCode compiles the metadata of every region of code.
func compileCallingCode(code int) (*callingCodeRules, error) {
	collection, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, err
	}
	// The library keys its region map by Id, a later entry replacing an
	// earlier one; do the same.
	byID := map[string]*phonenumbers.PhoneMetadata{}
	for _, m := range collection.GetMetadata() {
		byID[m.GetId()] = m
	}
	ids := phonenumbers.GetRegionCodesForCountryCode(code)
	if len(ids) == 0 {
		return nil, errUnexpectedMetadata
	}
	rules := &callingCodeRules{code: code, prefix: strconv.Itoa(code)}
	for i, id := range ids {
		m := byID[id]
		if m == nil || id == "001" || int(m.GetCountryCode()) != code {
			return nil, errUnexpectedMetadata
		}
		r, err := compileRegionRules(m, i == 0)
		if err != nil {
			return nil, err
		}
		rules.regions = append(rules.regions, r)
	}
	return rules, nil
}

// regionFor mirrors GetRegionCodeForNumber; nil means no region ("").
func (c *callingCodeRules) regionFor(nsn []byte) *regionRules {
	if len(c.regions) == 1 {
		return c.regions[0]
	}
	for _, r := range c.regions {
		if r.leadingDigits != nil {
			if r.leadingDigits.matchesStart(nsn) {
				return r
			}
		} else if r.numberType(nsn) != phonenumbers.UNKNOWN {
			return r
		}
	}
	return nil
}

// isValid mirrors IsValidNumber for an NSN of this calling code.
func (c *callingCodeRules) isValid(nsn []byte) bool {
	r := c.regionFor(nsn)
	return r != nil && r.numberType(nsn) != phonenumbers.UNKNOWN
}

// lazyCallingCode compiles a calling code's rules on first use, once, for
// any number of goroutines.
type lazyCallingCode struct {
	once  sync.Once
	code  int
	rules *callingCodeRules // nil when the code is left to the library
	err   error             // why rules is nil
}

// get returns the compiled rules, or nil when they could not be built.
func (l *lazyCallingCode) get() *callingCodeRules {
	l.once.Do(func() {
		l.rules, l.err = compileCallingCode(l.code)
	})
	return l.rules
}

// fastPhoneTable maps the calling codes and default regions the fast path
// handles to their lazily compiled rules. It is read-only once made.
type fastPhoneTable struct {
	byCode   map[int]*lazyCallingCode
	byRegion map[string]*lazyCallingCode
}

// newFastPhoneTable makes a table for calling code 1 (default region "US")
// and 44 (default region "GB"); nothing is compiled until first use.
func newFastPhoneTable() *fastPhoneTable {
	nanp, uk := &lazyCallingCode{code: 1}, &lazyCallingCode{code: 44}
	return &fastPhoneTable{
		byCode:   map[int]*lazyCallingCode{1: nanp, 44: uk},
		byRegion: map[string]*lazyCallingCode{"US": nanp, "GB": uk},
	}
}

// fastPhones is the table isPhone uses.
var fastPhones = newFastPhoneTable()

// simplePhoneDigits is the number of national digits the parse shortcut
// accepts.
const simplePhoneDigits = 10

// maxSimplePhoneLen bounds the candidate's length in bytes, far below the
// library's 250-character input limit.
const maxSimplePhoneLen = 40

// fastIsPhone answers isPhone's library question (does Parse(v, region)
// succeed and IsValidNumber say true) for the simple shapes described in
// parseSimplePhone; handled is false for every other input, which the
// caller must then give to the library.
func (t *fastPhoneTable) fastIsPhone(v, region string) (valid, handled bool) {
	var buf [maxSimplePhoneLen]byte
	rules, nsn := t.parseSimplePhone(v, region, &buf)
	if rules == nil {
		return false, false
	}
	return rules.isValid(nsn), true
}

// parseSimplePhone returns the calling code's rules and the NSN that the
// library's Parse would give for v, or nil rules when v is not one of the
// simple shapes: only ASCII digits and the separators space . - ( ), at
// most maxSimplePhoneLen bytes, region "", "US" or "GB", and either
//
//   - a leading "+" followed at once by the calling code 1 or 44 and then
//     10 digits, the first 2-9, that the main region's national prefix
//     pattern does not match; or
//   - no "+", region "US" or "GB", and 10 digits, the first 2-9, that start
//     neither with the region's international prefix nor with its calling
//     code, and that its national prefix pattern does not match.
//
// buf holds the digits; the NSN returned is a slice of it.
func (t *fastPhoneTable) parseSimplePhone(v, region string,
	buf *[maxSimplePhoneLen]byte) (*callingCodeRules, []byte) {
	if len(v) == 0 || len(v) > maxSimplePhoneLen ||
		region != "" && region != "US" && region != "GB" {
		return nil, nil
	}
	plus := v[0] == '+'
	digits := buf[:0]
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		case c == '+' && i == 0:
		default:
			return nil, nil
		}
	}
	if plus {
		return t.parseInternational(v, digits)
	}
	return t.parseNational(region, digits)
}

// parseInternational handles "+<code><NSN>": digits are all the digits of
// v, which starts with '+'.
func (t *fastPhoneTable) parseInternational(v string, digits []byte) (*callingCodeRules,
	[]byte) {
	if len(v) < 2 || v[1] < '1' || v[1] > '9' {
		return nil, nil // the code must follow the '+' at once
	}
	// extractCountryCode: the shortest prefix of 1-3 digits that is a
	// calling code.
	code := 0
	for n := 1; n <= 3 && n <= len(digits); n++ {
		c, _ := strconv.Atoi(string(digits[:n]))
		if len(phonenumbers.GetRegionCodesForCountryCode(c)) > 0 {
			code = c
			break
		}
	}
	lazy := t.byCode[code]
	if lazy == nil {
		return nil, nil
	}
	rules := lazy.get()
	if rules == nil {
		return nil, nil
	}
	nsn := digits[len(rules.prefix):]
	if !simpleNSN(nsn) || nationalPrefixApplies(rules.regions[0], nsn) {
		return nil, nil
	}
	return rules, nsn
}

// parseNational handles a number without '+' in default region "US" or
// "GB"; digits are all the digits of the candidate.
func (t *fastPhoneTable) parseNational(region string, digits []byte) (*callingCodeRules,
	[]byte) {
	lazy := t.byRegion[region]
	if lazy == nil || !simpleNSN(digits) {
		return nil, nil
	}
	rules := lazy.get()
	if rules == nil || rules.regions[0].id != region {
		return nil, nil // parsing uses the default region's own metadata
	}
	main := rules.regions[0]
	if main.internationalPrefix.matchesStart(digits) ||
		len(digits) >= len(rules.prefix) && string(digits[:len(rules.prefix)]) == rules.prefix ||
		nationalPrefixApplies(main, digits) {
		return nil, nil
	}
	return rules, digits
}

// simpleNSN reports whether nsn has the shortcut's length and a first
// digit 2-9 (no leading zero, no national prefix 1 or 0).
func simpleNSN(nsn []byte) bool {
	return len(nsn) == simplePhoneDigits && nsn[0] >= '2' && nsn[0] <= '9'
}

// nationalPrefixApplies reports whether the library might strip a national
// prefix (or carrier code) from nsn: its pattern matches nsn's start.
func nationalPrefixApplies(r *regionRules, nsn []byte) bool {
	return r.nationalPrefix != nil && r.nationalPrefix.matchesStart(nsn)
}

package detect

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// phoneCase is one candidate for isPhone with its default region.
type phoneCase struct {
	value, region string
}

// libraryAnswer is the reference: the library's Parse then IsValidNumber.
func libraryAnswer(v, region string) bool {
	n, err := phonenumbers.Parse(v, region)
	return err == nil && phonenumbers.IsValidNumber(n)
}

// randomDigits returns n random ASCII digits.
func randomDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// groupDigits writes digits in random groups of 2-4 joined by random
// separators, sometimes with the first group in parentheses.
func groupDigits(r *rand.Rand, digits string) string {
	separators := []string{" ", "-", ".", "", " - ", "  "}
	var b strings.Builder
	sep := separators[r.IntN(len(separators))]
	for i, first := 0, true; i < len(digits); first = false {
		n := min(2+r.IntN(3), len(digits)-i)
		group := digits[i : i+n]
		if !first {
			if r.IntN(4) == 0 {
				sep = separators[r.IntN(len(separators))]
			}
			b.WriteString(sep)
		}
		if first && r.IntN(4) == 0 {
			group = "(" + group + ")"
		}
		b.WriteString(group)
		i += n
	}
	return b.String()
}

// randomPhoneCase makes one random candidate: 7-12 digits, a prefix such as
// +1, +44, 0, 1, 44, 011 or 00, a common layout, and sometimes noise
// (extensions, letters, stray signs) that the fast path must leave alone.
func randomPhoneCase(r *rand.Rand) phoneCase {
	n := 7 + r.IntN(6)
	if r.IntN(2) == 0 {
		n = 10
	}
	digits := randomDigits(r, n)
	var v string
	switch k := r.IntN(10); {
	case k < 4 && n == 10:
		layouts := []string{"(%s) %s-%s", "%s.%s.%s", "%s-%s-%s", "%s %s %s",
			"+1-%s-%s-%s", "+1 (%s) %s %s", "+1%s%s%s", "1 %s %s %s", "(%s)%s-%s"}
		v = fmt.Sprintf(layouts[r.IntN(len(layouts))], digits[:3], digits[3:6], digits[6:])
	case k < 5 && n == 10:
		layouts := []string{"+44 %s %s %s", "0%s %s %s", "44 %s %s %s", "+44 (0)%s %s %s",
			"%s %s %s"}
		v = fmt.Sprintf(layouts[r.IntN(len(layouts))], digits[:2], digits[2:6], digits[6:])
	default:
		prefixes := []string{"", "", "", "+1", "+1 ", "+44", "+44 ", "0", "1", "1-", "44",
			"011 ", "011", "00", "00 44 ", "+", "+0", "+7", "+33 "}
		v = prefixes[r.IntN(len(prefixes))] + groupDigits(r, digits)
	}
	if r.IntN(12) == 0 {
		noise := []string{" ext 12", "x5", "#", " #12", "a", "+", ")", "(", " ", ",,3",
			";ext=4", "~", "/x2", "tel:", "A1", "١"}
		piece := noise[r.IntN(len(noise))]
		switch r.IntN(3) {
		case 0:
			v += piece
		case 1:
			v = piece + v
		default:
			i := r.IntN(len(v) + 1)
			v = v[:i] + piece + v[i:]
		}
	}
	regions := []string{"US", "GB"}
	if strings.HasPrefix(v, "+") {
		regions = []string{"", "", "US", "GB"}
	} else if r.IntN(30) == 0 {
		regions = []string{""}
	}
	return phoneCase{v, regions[r.IntN(len(regions))]}
}

// areaCodeCases returns every area code 200-999 with a few exchanges each,
// in three layouts.
func areaCodeCases(r *rand.Rand) []phoneCase {
	var out []phoneCase
	for npa := 200; npa <= 999; npa++ {
		exchanges := []int{555, 200, 911, r.IntN(1000), r.IntN(1000), r.IntN(1000)}
		for _, nxx := range exchanges {
			line := r.IntN(10000)
			out = append(out,
				phoneCase{fmt.Sprintf("(%03d) %03d-%04d", npa, nxx, line), "US"},
				phoneCase{fmt.Sprintf("+1 %03d %03d %04d", npa, nxx, line), ""},
				phoneCase{fmt.Sprintf("%03d.%03d.%04d", npa, nxx, line), "GB"})
		}
	}
	return out
}

// allNumberTypes lists the number types that can have example numbers.
var allNumberTypes = []phonenumbers.PhoneNumberType{
	phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
	phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP,
	phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER, phonenumbers.UAN,
	phonenumbers.VOICEMAIL,
}

// exampleNumberCases returns the library's example numbers for every region
// of calling codes 1 and 44, written in several ways, plus each with its
// last digit changed.
func exampleNumberCases(t testing.TB) []phoneCase {
	var out []phoneCase
	for _, code := range []int{1, 44} {
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(code) {
			for _, typ := range allNumberTypes {
				n := phonenumbers.GetExampleNumberForType(region, typ)
				if n == nil {
					continue
				}
				nsn := phonenumbers.GetNationalSignificantNumber(n)
				for d := range 10 {
					changed := nsn[:len(nsn)-1] + string(rune('0'+d))
					out = append(out,
						phoneCase{fmt.Sprintf("+%d %s", code, changed), ""},
						phoneCase{changed, "US"}, phoneCase{changed, "GB"})
				}
				for _, f := range []phonenumbers.PhoneNumberFormat{phonenumbers.NATIONAL,
					phonenumbers.INTERNATIONAL, phonenumbers.E164} {
					formatted := phonenumbers.Format(n, f)
					out = append(out, phoneCase{formatted, "US"}, phoneCase{formatted, "GB"},
						phoneCase{formatted, ""})
				}
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d example-number cases: the metadata lookup failed", len(out))
	}
	return out
}

// phoneTally counts the outcomes of comparing the fast path with the
// library.
type phoneTally struct {
	fast, fastValid, fastInvalid, mismatches int
	firstMismatches                          []string
}

// checkPhoneCases compares the fast path and isPhone with the library on
// cases, spread over several goroutines.
func checkPhoneCases(table *fastPhoneTable, cases []phoneCase) phoneTally {
	workers := max(runtime.GOMAXPROCS(0), 2)
	tallies := make([]phoneTally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tally := &tallies[w]
			for i := w; i < len(cases); i += workers {
				c := cases[i]
				want := libraryAnswer(c.value, c.region)
				got, handled := table.fastIsPhone(c.value, c.region)
				dotsOK := strings.Count(c.value, ".") == 0 || strings.Count(c.value, ".") == 2
				isPhoneGot := want && dotsOK
				if handled {
					tally.fast++
					if got {
						tally.fastValid++
					} else {
						tally.fastInvalid++
					}
					isPhoneGot = isPhone(c.value, c.region)
				}
				if handled && got != want || isPhoneGot != (want && dotsOK) {
					tally.mismatches++
					if len(tally.firstMismatches) < 10 {
						tally.firstMismatches = append(tally.firstMismatches, fmt.Sprintf(
							"%q in region %q: fast %v, isPhone %v, library %v",
							c.value, c.region, got, isPhoneGot, want))
					}
				}
			}
		}()
	}
	wg.Wait()
	var total phoneTally
	for _, t := range tallies {
		total.fast += t.fast
		total.fastValid += t.fastValid
		total.fastInvalid += t.fastInvalid
		total.mismatches += t.mismatches
		total.firstMismatches = append(total.firstMismatches, t.firstMismatches...)
	}
	return total
}

// TestFastPhoneMatchesLibrary is the property test: on seeded random
// candidates, every area code and the library's example numbers, the fast
// path answers exactly as Parse + IsValidNumber whenever it answers, and it
// answers a good share of them, valid and invalid.
func TestFastPhoneMatchesLibrary(t *testing.T) {
	const randomCases = 200_000
	r := rand.New(rand.NewPCG(2026, 12))
	cases := make([]phoneCase, 0, randomCases+20_000)
	for range randomCases {
		cases = append(cases, randomPhoneCase(r))
	}
	cases = append(cases, areaCodeCases(r)...)
	cases = append(cases, exampleNumberCases(t)...)

	tally := checkPhoneCases(fastPhones, cases)
	for _, m := range tally.firstMismatches {
		t.Error(m)
	}
	if tally.mismatches > 0 {
		t.Fatalf("%d of %d cases differ from the library", tally.mismatches, len(cases))
	}
	t.Logf("%d cases, %d on the fast path (%d valid, %d invalid)",
		len(cases), tally.fast, tally.fastValid, tally.fastInvalid)
	if tally.fast*5 < len(cases) {
		t.Errorf("only %d of %d cases took the fast path, want over 20%%", tally.fast, len(cases))
	}
	if tally.fastValid == 0 || tally.fastInvalid == 0 {
		t.Errorf("fast path gave %d valid and %d invalid answers: the test needs both",
			tally.fastValid, tally.fastInvalid)
	}
}

// TestFastPhoneConcurrentFirstUse builds a fresh table from many goroutines
// at once (run it with -race) and checks the answers against the library.
func TestFastPhoneConcurrentFirstUse(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	cases := areaCodeCases(r)[:3000]
	tally := checkPhoneCases(newFastPhoneTable(), cases)
	for _, m := range tally.firstMismatches {
		t.Error(m)
	}
	if tally.fast == 0 {
		t.Error("no case took the fast path")
	}
}

// TestFastPhoneCallingCodesCompile checks that calling codes 1 and 44 are
// not silently left to the library because a pattern failed to compile.
func TestFastPhoneCallingCodesCompile(t *testing.T) {
	for code, lazy := range newFastPhoneTable().byCode {
		if lazy.get() == nil {
			t.Errorf("calling code %d could not be compiled for the fast path: %v",
				code, lazy.err)
		}
	}
}

// digitPatternCase is one metadata pattern and how the library applies it.
type digitPatternCase struct {
	name, pattern string
	whole         bool // "^(?:P)$" when true, "^(?:P)" when false
}

// metadataPatterns lists every number-desc pattern (whole match) and the
// leading-digits, international-prefix and national-prefix patterns (start
// match) of the regions of calling codes 1 and 44.
func metadataPatterns(t *testing.T) []digitPatternCase {
	collection, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*phonenumbers.PhoneMetadata{}
	for _, m := range collection.GetMetadata() {
		byID[m.GetId()] = m
	}
	var out []digitPatternCase
	for _, code := range []int{1, 44} {
		for _, id := range phonenumbers.GetRegionCodesForCountryCode(code) {
			m := byID[id]
			descs := map[string]*phonenumbers.PhoneNumberDesc{
				"general": m.GetGeneralDesc(), "premium": m.GetPremiumRate(),
				"tollfree": m.GetTollFree(), "shared": m.GetSharedCost(), "voip": m.GetVoip(),
				"personal": m.GetPersonalNumber(), "pager": m.GetPager(), "uan": m.GetUan(),
				"voicemail": m.GetVoicemail(), "fixed": m.GetFixedLine(), "mobile": m.GetMobile(),
			}
			for name, d := range descs {
				out = append(out, digitPatternCase{id + " " + name,
					d.GetNationalNumberPattern(), true})
			}
			out = append(out,
				digitPatternCase{id + " leading digits", m.GetLeadingDigits(), false},
				digitPatternCase{id + " international prefix", m.GetInternationalPrefix(), false})
			if np := m.GetNationalPrefixForParsing(); !strings.Contains(np, "$") {
				out = append(out, digitPatternCase{id + " national prefix", np, false})
			}
		}
	}
	return out
}

// randomWalk returns a digit string of the given length that follows live
// transitions of a where it can, so that many strings match.
func randomWalk(r *rand.Rand, a *digitDFA, length int) []byte {
	out := make([]byte, 0, length)
	state := int32(0)
	for range length {
		var live []int
		if state >= 0 {
			for d, next := range a.next[state] {
				if next >= 0 {
					live = append(live, d)
				}
			}
		}
		d := r.IntN(10)
		if len(live) > 0 && r.IntN(8) != 0 {
			d = live[r.IntN(len(live))]
		}
		if state >= 0 {
			state = a.next[state][d]
		}
		out = append(out, byte('0'+d))
	}
	return out
}

// TestDigitDFAMatchesRegexp compares each automaton with Go's regexp, used
// as the library uses it, on random digit strings of length 1-17.
func TestDigitDFAMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	matched, unmatched := 0, 0
	for _, p := range metadataPatterns(t) {
		a, err := compileDigitDFA(p.pattern, p.whole)
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		anchored := "^(?:" + p.pattern + ")"
		if p.whole {
			anchored += "$"
		}
		re := regexp.MustCompile(anchored)
		for i := range 3000 {
			length := 1 + r.IntN(17)
			var s []byte
			if i%2 == 0 {
				s = []byte(randomDigits(r, length))
			} else {
				s = randomWalk(r, a, length)
			}
			want := re.Match(s)
			got := a.matchesStart(s)
			if p.whole {
				got = a.matchesWhole(s)
			}
			if got != want {
				t.Fatalf("%s on %s: automaton %v, regexp %v", p.name, s, got, want)
			}
			if want {
				matched++
			} else {
				unmatched++
			}
		}
	}
	if matched == 0 || unmatched == 0 {
		t.Errorf("%d matches and %d non-matches: the test needs both", matched, unmatched)
	}
}

// TestDigitDFAEdgeCases covers the empty pattern, a pattern no digit string
// matches, alternation under the anchors, possible lengths, and patterns
// left to the library.
func TestDigitDFAEdgeCases(t *testing.T) {
	tests := []struct {
		pattern string
		whole   bool
		input   string
		want    bool
	}{
		{"", true, "", true},
		{"", true, "1", false},
		{"", false, "1", true},
		{"NA", true, "12", false},
		{"1|23", true, "123", false},
		{"1|23", false, "123", true},
		{"1|23", true, "23", true},
		{`[2-9]\d{2}(?:0|12)?`, true, "20012", true},
		{`[2-9]\d{2}(?:0|12)?`, true, "2001", false},
		{`\d{3}`, false, "12", false},
	}
	for _, tt := range tests {
		a, err := compileDigitDFA(tt.pattern, tt.whole)
		if err != nil {
			t.Fatalf("pattern %q: %v", tt.pattern, err)
		}
		got := a.matchesStart([]byte(tt.input))
		if tt.whole {
			got = a.matchesWhole([]byte(tt.input))
		}
		if got != tt.want {
			t.Errorf("pattern %q (whole %v) on %q = %v, want %v",
				tt.pattern, tt.whole, tt.input, got, tt.want)
		}
	}
	desc := numberDesc{lengths: []int32{3}}
	var err error
	if desc.pattern, err = compileDigitDFA(`\d+`, true); err != nil {
		t.Fatal(err)
	}
	if desc.matches([]byte("12")) || !desc.matches([]byte("123")) {
		t.Error("numberDesc.matches ignores the possible lengths")
	}
	for _, unsupported := range []string{`1\b`, `(?m)1$`, `^1`, `1$|2`} {
		if _, err := compileDigitDFA(unsupported, true); err == nil {
			t.Errorf("pattern %q compiled; want it left to the library", unsupported)
		}
	}
}

// benchmarkPhoneCases returns US-formatted candidates, valid and invalid.
func benchmarkPhoneCases() []string {
	r := rand.New(rand.NewPCG(3, 3))
	layouts := []string{"(%03d) %03d-%04d", "%03d.%03d.%04d", "%03d-%03d-%04d",
		"+1 %03d %03d %04d"}
	out := make([]string, 1024)
	for i := range out {
		npa, nxx, line := 200+r.IntN(800), r.IntN(1000), r.IntN(10000)
		out[i] = fmt.Sprintf(layouts[i%len(layouts)], npa, nxx, line)
	}
	return out
}

// BenchmarkIsPhone times the library path and isPhone (fast path) on the
// same US-formatted candidates.
func BenchmarkIsPhone(b *testing.B) {
	cases := benchmarkPhoneCases()
	valid := 0
	for _, v := range cases {
		if isPhone(v, "US") { // also compiles the fast path's rules
			valid++
		}
	}
	b.Logf("%d of %d candidates valid", valid, len(cases))
	b.Run("library", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			isPhoneByLibrary(cases[i%len(cases)], "US")
		}
	})
	b.Run("fast", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			isPhone(cases[i%len(cases)], "US")
		}
	})
}

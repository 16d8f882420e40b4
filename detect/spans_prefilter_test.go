package detect

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// prefilterPieces are fragments of free text that each finder can match, and
// near misses; random sentences made of them exercise every finder.
var prefilterPieces = []string{
	"call", "phone", "SSN", "born", "contact", "Dr.", "Mr", "Sra", "Maria", "Garcia",
	"Élodie", "Łukasz", "Ørsted", "José", "hello", "the", "note", ",", ".", ";", "(", ")",
	"anna.smith@example.com", "x@y", "a@b.co", "415-555-0132", "(212) 555 0199",
	"+44 20 7946 0958", "555.0100", "078-05-1120", "123456789", "4111 1111 1111 1111",
	"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "192.168.1.20", "10.0.0",
	"2001:db8::1", "fe80::a:b", "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e",
	"123e4567-e89b-12d3-a456-426614174000", "1984-03-12", "3/12/1984", "12.03.1984",
	"https://example.com/x?y=1", "ftp://host/file", "42 Main Street", "7B Baker St",
	"1600 Pennsylvania Avenue NW", "12:30:45", "v1.2.3.4", "ABCD", "12", "9",
	"o'brien+tag@mail.example.org", "x@", "@y.com", "a.@b-c.d", "+1 (415) 555-0132",
	"(0)20 7946 0958", "+(", "%@%.%",
}

// randomText joins n random picks of single bytes of alphabet and pieces.
func randomText(r *rand.Rand, n int, alphabet string, pieces []string) string {
	var b strings.Builder
	for range n {
		if r.IntN(3) == 0 {
			b.WriteString(pieces[r.IntN(len(pieces))])
		} else {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
	}
	return b.String()
}

// pairs turns FindAllStringIndex's result into pairs.
func pairs(ms [][]int) [][2]int {
	var out [][2]int
	for _, m := range ms {
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// TestSpanMatchers compares the hand-written matchers with the expressions
// they stand for, on random strings: emailMatches with every match of the
// email expression; phoneMatchesIn, on strings of phone bytes only, with
// every match of the phone expression; and, on mixed text, the matches
// each finder accepts through its matcher and through its expression.
func TestSpanMatchers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	emailRe, phoneRe := spanFinders[1].re, spanFinders[10].re
	if spanFinders[1].kind != Email || spanFinders[10].kind != Phone {
		t.Fatal("spanFinders changed order: fix the indices above")
	}

	found := 0
	emailPieces := []string{"ab@cd.ef", "x.y@z-q.r.s", "@", "a.", ".b", "@c.", "o'b+t%@x.io"}
	for range 100000 {
		text := randomText(r, r.IntN(14), "a@.-_'%+Z9 ,é", emailPieces)
		want, got := pairs(emailRe.FindAllStringIndex(text, -1)), emailMatches(nil, text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("email in %q: %v, the expression %v", text, got, want)
		}
		found += len(want)
	}

	phonePieces := []string{"555-0132", "(415) 555", "+44 20 ", "+1-764-783-9801", "(12)",
		"(12345)", "+1234", "  ", "--", "4111 1111 1111 1111 1"}
	for range 100000 {
		text := randomText(r, r.IntN(10), "0123456789+() .-", phonePieces)
		want := pairs(phoneRe.FindAllStringIndex(text, -1))
		got := phoneMatchesIn(nil, text, 0, len(text))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("phone in %q: %v, the expression %v", text, got, want)
		}
		found += len(want)
	}

	accepted := func(f spanFinder, text string, ms [][2]int) [][2]int {
		var out [][2]int
		for _, m := range ms {
			if s, e, ok := f.ok(text, m[0], m[1]); ok {
				out = append(out, [2]int{s, e})
			}
		}
		return out
	}
	mixed := append(append([]string{"call ", "phone: ", "(212) 555 0199"}, emailPieces...),
		phonePieces...)
	kept := 0
	for _, f := range spanFinders {
		if f.matches == nil {
			continue
		}
		for range 50000 {
			text := randomText(r, r.IntN(12), "a@.+(1 -'_%9)Z,é", mixed)
			want := accepted(f, text, pairs(f.re.FindAllStringIndex(text, -1)))
			got := accepted(f, text, f.matches(nil, text))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v in %q: the matcher gives %v, the expression %v",
					f.kind, text, got, want)
			}
			kept += len(want)
		}
	}
	if found < 100000 || kept < 5000 {
		t.Fatalf("only %d matches and %d accepted spans compared", found, kept)
	}
}

// TestFindSpansPrefilter checks that skipping finders by character counts
// changes no result: on random sentences of PII pieces, and on the texts of
// the other tests, FindSpans gives what running every finder gives.
func TestFindSpansPrefilter(t *testing.T) {
	texts := []string{
		"Dear Mr. Hughes, thanks",
		"version 1.2.3.4.5 at 12:30:45 on 2024-01-02",
		"whose man shall, sandals",
		`said "repelling keyboard could, sunglasses", then must`,
		"ÉLODIE DURAND ÉTÉ",
		"São Paulo Ñandú",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + r.IntN(8)
		words := make([]string, n)
		for i := range words {
			words[i] = prefilterPieces[r.IntN(len(prefilterPieces))]
		}
		sep := " "
		if r.IntN(5) == 0 {
			sep = ""
		}
		texts = append(texts, strings.Join(words, sep))
	}

	skipped := 0
	for _, text := range texts {
		got, want := findSpans(text, true), findSpans(text, false)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q: with the prefilter %v, without %v", text, got, want)
		}
		c := countChars(text)
		for _, f := range spanFinders {
			if !f.need(&c) {
				skipped++
			}
		}
	}
	if skipped == 0 {
		t.Error("the prefilter never skipped a finder: the test checks nothing")
	}
}

// FuzzFindSpansPrefilter looks for a text where the prefilter changes the
// spans found.
func FuzzFindSpansPrefilter(f *testing.F) {
	for _, p := range prefilterPieces {
		f.Add("x " + p + " y")
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, want := findSpans(text, true), findSpans(text, false)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q: with the prefilter %v, without %v", text, got, want)
		}
	})
}

// TestSpanScannerReuse checks that one SpanScanner, reused over many texts
// (with spans, without, and too short to hold one), finds what FindSpans
// finds on each, so nothing carries over from one text to the next.
func TestSpanScannerReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var sc SpanScanner
	found := 0
	for range 20000 {
		words := make([]string, r.IntN(6))
		for i := range words {
			words[i] = prefilterPieces[r.IntN(len(prefilterPieces))]
		}
		text := strings.Join(words, " ")
		want := FindSpans(text)
		got := sc.Find(text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q: the reused scanner gives %v, FindSpans %v", text, got, want)
		}
		found += len(want)
	}
	if found < 5000 {
		t.Fatalf("only %d spans found", found)
	}
}

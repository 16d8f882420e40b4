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

// TestFindSpansFrom checks the from functions of the finders that have one:
// on random strings over the characters their expressions care about,
// matching from where from says gives the matches of the whole string.
func TestFindSpansFrom(t *testing.T) {
	const alphabet = "a@.+(1 -'_%9)Z"
	fromPieces := []string{"ab@cd.ef", "x.y@z-q.r.s", "555-0132", "(415) 555", "+44 20 ",
		"123 4567", "@", "1.2"}
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for _, f := range spanFinders {
		if f.from == nil {
			continue
		}
		for range 50000 {
			var b strings.Builder
			for range r.IntN(12) {
				if r.IntN(4) == 0 {
					b.WriteString(fromPieces[r.IntN(len(fromPieces))])
				} else {
					b.WriteByte(alphabet[r.IntN(len(alphabet))])
				}
			}
			text := b.String()
			want := f.re.FindAllStringIndex(text, -1)
			from := f.from(text)
			var got [][]int
			for _, m := range f.re.FindAllStringIndex(text[from:], -1) {
				got = append(got, []int{from + m[0], from + m[1]})
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v on %q: from %d gives %v, the whole string %v",
					f.kind, text, from, got, want)
			}
			if len(want) > 0 {
				checked++
			}
		}
	}
	if checked < 20000 {
		t.Fatalf("only %d strings with a match", checked)
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

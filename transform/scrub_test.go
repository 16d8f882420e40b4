package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/brianvoe/gofakeit/v7"
)

// scrubCases are sentences with PII inside, and the pieces that must go.
var scrubCases = []struct {
	text   string
	pieces []string
	tagged string
}{
	{"Contact jane.doe@corp.example.org for access.", []string{"jane.doe@corp.example.org"},
		"Contact <EMAIL> for access."},
	{"Call me at (415) 555-2671 tomorrow", []string{"(415) 555-2671"},
		"Call me at <PHONE> tomorrow"},
	{"Paid with 4111 1111 1111 1111, thanks", []string{"4111 1111 1111 1111"},
		"Paid with <CREDIT_CARD>, thanks"},
	{"SSN 123-45-6789 on file", []string{"123-45-6789"}, "SSN <NATIONAL_ID> on file"},
	{"login from 203.0.113.77 and 2001:db8:85a3::8a2e:370:7334.",
		[]string{"203.0.113.77", "2001:db8:85a3::8a2e:370:7334"},
		"login from <IPV4> and <IPV6>."},
	{"Refund to DE89 3704 0044 0532 0130 00 today", []string{"DE89 3704 0044 0532 0130 00"},
		"Refund to <IBAN> today"},
	{"Ticket from Mr. Hughes about device 00:1A:2B:3C:4D:5E",
		[]string{"Hughes", "00:1A:2B:3C:4D:5E"}, "Ticket from Mr. <PERSON_NAME> about device <MAC>"},
	{"request 110bcd25-a55d-453a-8046-1297901ea002 ok", nil,
		"request 110bcd25-a55d-453a-8046-1297901ea002 ok"},
	{"Order 12345 shipped on 2024-03-01, total 19.99", nil,
		"Order 12345 shipped on 2024-03-01, total 19.99"},
}

func TestScrubTag(t *testing.T) {
	s := txBuild(t, scrubSpec, "notes", map[string]any{"replace": "tag"})
	w := txWorker(t, "k")
	var in []any
	for _, c := range scrubCases {
		in = append(in, c.text)
	}
	out := txApply(t, s, w, "notes", append(in, nil))
	for i, c := range scrubCases {
		if out[i] != c.tagged {
			t.Errorf("case %d: got %q, want %q", i, out[i], c.tagged)
		}
	}
	if out[len(in)] != nil {
		t.Error("null did not stay null")
	}
}

func TestScrubFake(t *testing.T) {
	s := txBuild(t, scrubSpec, "notes", nil)
	w := txWorker(t, "k")
	var in []any
	for _, c := range scrubCases {
		in = append(in, c.text)
	}
	out := txApply(t, s, w, "notes", in)
	again := txApply(t, s, w, "notes", in)
	for i, c := range scrubCases {
		got := out[i].(string)
		if got != again[i] {
			t.Errorf("case %d: not deterministic", i)
		}
		for _, p := range c.pieces {
			if strings.Contains(got, p) {
				t.Errorf("case %d: %q left in output", i, p)
			}
		}
		if c.pieces == nil && got != c.text {
			t.Errorf("case %d: text without PII changed: %q", i, got)
		}
	}
	// The same piece gets the same fake in another sentence.
	a := txApply(t, s, w, "other", txStrings("mail jane.doe@corp.example.org", "x "+
		"jane.doe@corp.example.org y"))
	fa := strings.TrimPrefix(a[0].(string), "mail ")
	if a[1] != "x "+fa+" y" {
		t.Errorf("inconsistent fakes: %q vs %q", a[0], a[1])
	}
	other := txApply(t, s, txWorker(t, "other key"), "notes", in[:1])
	if other[0] == out[0] {
		t.Error("a different key gave the same fake")
	}
}

func TestScrubOptions(t *testing.T) {
	if _, err := txTryBuild(scrubSpec, "c", map[string]any{"kinds": []any{"bogus"}}); err == nil {
		t.Error("unknown kind accepted")
	}
	s := txBuild(t, scrubSpec, "c", map[string]any{"replace": "tag",
		"kinds": []any{"email"}})
	out := txApply(t, s, txWorker(t, "k"), "c", txStrings("a@b.example.com 4111111111111111"))
	if out[0] != "<EMAIL> 4111111111111111" {
		t.Errorf("kinds not honoured: %q", out[0])
	}
	if _, err := txTryApply(s, txWorker(t, ""), "c", txStrings("x"), 0); err == nil {
		t.Error("scrub without a key did not fail")
	}
}

// TestScrubProperty embeds random PII in random sentences: no original
// piece may survive.
func TestScrubProperty(t *testing.T) {
	s := txBuild(t, scrubSpec, "notes", nil)
	w := txWorker(t, "k")
	f := gofakeit.New(11)
	r := rand.New(rand.NewPCG(1, 2))
	gens := []func() string{
		f.Email,
		func() string { return f.CreditCardNumber(nil) },
		func() string { return fmt.Sprintf("+1 415-555-%04d", r.IntN(10000)) },
		func() string {
			return fmt.Sprintf("%03d-%02d-%04d", 1+r.IntN(665), 1+r.IntN(98), 1+r.IntN(9998))
		},
		f.IPv4Address,
		f.MacAddress,
	}
	for i := 0; i < 500; i++ {
		var pieces []string
		var b strings.Builder
		for j := 0; j < 1+r.IntN(3); j++ {
			p := gens[r.IntN(len(gens))]()
			pieces = append(pieces, p)
			fmt.Fprintf(&b, "%s %s, %s ", f.Sentence(4), p, f.Word())
		}
		text := b.String()
		got := txApply(t, s, w, "notes", txStrings(text))[0].(string)
		for _, p := range pieces {
			if strings.Contains(got, p) {
				t.Fatalf("piece left in output (case %d): %q in %q", i, p, text)
			}
		}
	}
}

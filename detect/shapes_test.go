package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestCouldBeDate checks that couldBeDate never rejects a value that a
// layout of dateLayouts parses: dates written in every layout, and random
// strings of date and phone pieces; and that it rejects phone numbers.
func TestCouldBeDate(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var texts []string
	for range 20000 {
		d := time.Date(1800+r.IntN(400), time.Month(1+r.IntN(12)), 1+r.IntN(28),
			r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC)
		for _, l := range dateLayouts {
			texts = append(texts, d.Format(l))
		}
	}
	pieces := []string{"1", "12", "2024", "20240102", "-", "/", ".", " ", ":", "T", "Z",
		"+01:00", "Jan", "March", ",", "3", "07", "(", ")", "+1", "954", "4093670"}
	for range 200000 {
		var b strings.Builder
		for range 1 + r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}

	parsed := 0
	for _, v := range texts {
		if _, ok := parseDateLayouts(v); ok {
			parsed++
			if !couldBeDate(v) {
				t.Fatalf("%q parses as a date, but couldBeDate rejects it", v)
			}
		}
	}
	if parsed < 20000*len(dateLayouts) {
		t.Fatalf("only %d strings parsed as dates", parsed)
	}

	for _, v := range []string{"(954) 409-3670", "+1-954-409-3670", "954-409-3670",
		"954.409.3670", "+44 20 7946 0958", "555.0100.12"} {
		if couldBeDate(v) {
			t.Errorf("couldBeDate(%q) = true, want false", v)
		}
	}
}

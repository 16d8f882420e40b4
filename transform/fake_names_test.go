package transform

import (
	"testing"

	"github.com/brianvoe/gofakeit/v7"
)

// TestNamePickersMatchGofakeit checks that firstName and lastName draw what
// gofakeit's own FirstName and LastName draw from an equally seeded faker,
// interleaved as fakeEmail and fakeFullName interleave them.
func TestNamePickersMatchGofakeit(t *testing.T) {
	for seed := range uint64(50) {
		ours, theirs := gofakeit.New(seed+1), gofakeit.New(seed+1) // 0 is a random seed
		for i := range 200 {
			var got, want string
			if i%3 == 0 {
				got, want = lastName(ours), theirs.LastName()
			} else {
				got, want = firstName(ours), theirs.FirstName()
			}
			if got != want {
				t.Fatalf("seed %d, draw %d: %q, gofakeit %q", seed, i, got, want)
			}
		}
	}
	if len(firstNames) < 100 || len(lastNames) < 100 {
		t.Fatalf("name lists of %d and %d names", len(firstNames), len(lastNames))
	}
}

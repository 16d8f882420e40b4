package detect

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestIsPhoneUSFirst checks that isPhone's shortcut for calling code 1 gives
// what the library's IsValidNumber gives, on random NANP numbers (valid and
// not) in the usual layouts, and that the US still heads the code's regions.
func TestIsPhoneUSFirst(t *testing.T) {
	if regions := phonenumbers.GetRegionCodesForCountryCode(1); len(regions) == 0 ||
		regions[0] != "US" {
		t.Fatalf("regions of calling code 1 = %v, want the US first", regions)
	}

	r := rand.New(rand.NewPCG(7, 7))
	valid, invalid := 0, 0
	for range 3000 {
		npa, nxx, line := r.IntN(1000), r.IntN(1000), r.IntN(10000)
		layouts := []string{
			fmt.Sprintf("+1-%03d-%03d-%04d", npa, nxx, line),
			fmt.Sprintf("(%03d) %03d-%04d", npa, nxx, line),
			fmt.Sprintf("%03d.%03d.%04d", npa, nxx, line),
		}
		for _, v := range layouts {
			want := false
			if n, err := phonenumbers.Parse(v, "US"); err == nil {
				want = phonenumbers.IsValidNumber(n)
			}
			if got := isPhone(v, "US"); got != want {
				t.Fatalf("isPhone(%q) = %v, IsValidNumber says %v", v, got, want)
			}
			if want {
				valid++
			} else {
				invalid++
			}
		}
	}
	if valid == 0 || invalid == 0 {
		t.Errorf("%d valid and %d invalid numbers: the test needs both", valid, invalid)
	}
}

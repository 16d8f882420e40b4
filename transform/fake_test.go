package transform

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

const fakeTestKey = "anon-fake-test-key"

// fakeSample returns n distinct inputs that suit kind.
func fakeSample(kind FakeKind, n int) []any {
	out := make([]any, n)
	for i := range out {
		switch kind {
		case FakeDateOfBirth:
			out[i] = time.Date(1950, 1, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		default:
			out[i] = fmt.Sprintf("input %s %d", kind, i)
		}
	}
	return out
}

// fakeBuild builds a fake strategy of kind for column through the spec.
func fakeBuild(t testing.TB, kind FakeKind, column string, extra map[string]any) Strategy {
	t.Helper()
	raw := map[string]any{"kind": string(kind)}
	for k, v := range extra {
		raw[k] = v
	}
	return txBuild(t, fakeSpec, column, raw)
}

func TestFakeDeterminism(t *testing.T) {
	for _, kind := range FakeKinds() {
		t.Run(string(kind), func(t *testing.T) {
			in := fakeSample(kind, 40)
			in[7], in[21] = nil, ""
			s := fakeBuild(t, kind, "col", nil)

			w1 := txWorker(t, fakeTestKey)
			first := txApply(t, s, w1, "col", in)

			// Same worker again, after other values went through it.
			again := txApply(t, s, w1, "col", in)
			if !reflect.DeepEqual(first, again) {
				t.Errorf("same worker, second pass differs")
			}

			// A fresh worker, with the global faker reseeded: the fakes must
			// not draw from gofakeit's global generator.
			_ = gofakeit.Seed(12345)
			_ = gofakeit.Name()
			other := txApply(t, s, txWorker(t, fakeTestKey), "col", in)
			if !reflect.DeepEqual(first, other) {
				t.Errorf("second worker differs")
			}

			// Batches split at different sizes and offsets.
			w3 := txWorker(t, fakeTestKey)
			for _, size := range []int{1, 3, 7, 16} {
				var split []any
				for start := 0; start < len(in); start += size {
					end := min(start+size, len(in))
					part, err := txTryApply(s, w3, "col", in[start:end], int64(start))
					if err != nil {
						t.Fatal(err)
					}
					split = append(split, part...)
				}
				if !reflect.DeepEqual(first, split) {
					t.Errorf("batches of %d differ from one batch", size)
				}
			}

			// Repeated values within one batch.
			dup := []any{in[3], in[4], in[3], in[3]}
			got := txApply(t, s, w3, "col", dup)
			if got[0] != first[3] || got[1] != first[4] || got[2] != first[3] || got[3] != first[3] {
				t.Errorf("repeated values got different fakes: %q", got)
			}

			if first[7] != nil {
				t.Errorf("null became %q", first[7])
			}
			if first[21] == nil || first[21] == "" {
				t.Errorf("empty string was not faked: %q", first[21])
			}
		})
	}
}

func TestFakeDifferentKeys(t *testing.T) {
	for _, kind := range FakeKinds() {
		t.Run(string(kind), func(t *testing.T) {
			in := fakeSample(kind, 100)
			s := fakeBuild(t, kind, "col", nil)
			a := txApply(t, s, txWorker(t, "key one"), "col", in)
			b := txApply(t, s, txWorker(t, "key two"), "col", in)
			same := 0
			for i := range a {
				if a[i] == b[i] {
					same++
				}
			}
			// city has 98 possible values, so a few equal pairs are expected.
			if same > 10 {
				t.Errorf("%d of %d fakes unchanged by a different key", same, len(a))
			}
		})
	}
}

func TestFakeNamespaces(t *testing.T) {
	tests := []struct {
		name     string
		extraA   map[string]any
		extraB   map[string]any
		wantSame bool
	}{
		{"B03 shared namespace maps a name identically",
			map[string]any{"namespace": "person_name"}, map[string]any{"namespace": "person_name"},
			true},
		{"default namespaces are the column names", nil, nil, false},
		{"different namespaces",
			map[string]any{"namespace": "person_name"}, map[string]any{"namespace": "company"},
			false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := txStrings("Ana Test", "Bo Test")
			customers := fakeBuild(t, FakeFullName, "full_name", tt.extraA)
			orders := fakeBuild(t, FakeFullName, "customer_name", tt.extraB)
			a := txApply(t, customers, txWorker(t, fakeTestKey), "full_name", in)
			b := txApply(t, orders, txWorker(t, fakeTestKey), "customer_name", in)
			if same := reflect.DeepEqual(a, b); same != tt.wantSame {
				t.Errorf("same=%v, want %v: %q vs %q", same, tt.wantSame, a, b)
			}
		})
	}
}

// luhnValid is an independent Luhn check.
func luhnValid(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ibanValid is an independent ISO 13616 check with math/big.
func ibanValid(s string) bool {
	want := map[string]int{"DE": 22, "GB": 22, "FR": 27}
	if len(s) < 4 || want[s[:2]] != len(s) {
		return false
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			fmt.Fprint(&digits, int(c-'A')+10)
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// ribValid checks the French RIB key of a French IBAN with math/big.
func ribValid(iban string) bool {
	bban := iban[4:]
	n, ok := new(big.Int).SetString(bban, 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 0
}

func TestFakeFormats(t *testing.T) {
	ipRanges := []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
	}
	tests := []struct {
		kind  FakeKind
		valid func(string) bool
	}{
		{FakeCreditCard, func(s string) bool {
			return regexp.MustCompile(`^(4\d{15}|5[1-5]\d{14})$`).MatchString(s) && luhnValid(s)
		}},
		{FakeIBAN, func(s string) bool {
			if !ibanValid(s) {
				return false
			}
			return !strings.HasPrefix(s, "FR") || ribValid(s)
		}},
		{FakeEmail, regexp.MustCompile(
			`^[a-z]+\.[a-z]+\.\d{8}@example\.(com|org|net)$`).MatchString},
		{FakePhone, regexp.MustCompile(`^\+1-[2-9]\d\d-555-01\d\d$`).MatchString},
		{FakeZip, regexp.MustCompile(`^\d{5}$`).MatchString},
		{FakeUUID, regexp.MustCompile(
			`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString},
		{FakeIPv4, func(s string) bool {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return false
			}
			for _, p := range ipRanges {
				if p.Contains(a) {
					return true
				}
			}
			return false
		}},
		{FakeFullName, regexp.MustCompile(`^[A-Za-z'.-]+( [A-Za-z'.-]+)+$`).MatchString},
		{FakeStreetAddress, regexp.MustCompile(`^[1-9]\d{0,3} [A-Za-z ]+$`).MatchString},
		{FakeDateOfBirth, func(s string) bool {
			d, err := time.Parse("2006-01-02", s)
			return err == nil && d.Year() >= 1940 && d.Year() <= 2005
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			s := fakeBuild(t, tt.kind, "col", nil)
			in := make([]any, 1000)
			for i := range in {
				in[i] = fmt.Sprintf("value-%d", i)
			}
			got := txApply(t, s, txWorker(t, fakeTestKey), "col", in)
			bad := 0
			for i, g := range got {
				if !tt.valid(g.(string)) {
					bad++
					if bad <= 3 {
						t.Errorf("value %d: invalid %s %q", i, tt.kind, g)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d invalid", bad, len(got))
			}
		})
	}
}

func TestFakeIBANCountries(t *testing.T) {
	s := fakeBuild(t, FakeIBAN, "col", nil)
	got := txApply(t, s, txWorker(t, fakeTestKey), "col", fakeSample(FakeIBAN, 300))
	seen := map[string]int{}
	for _, g := range got {
		seen[g.(string)[:2]]++
	}
	for _, c := range []string{"DE", "GB", "FR"} {
		if seen[c] < 50 {
			t.Errorf("country %s drawn %d times in 300", c, seen[c])
		}
	}
}

func TestFakeDateOfBirthLayout(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // regexp
	}{
		{"iso", "1985-03-04", `^\d{4}-\d\d-\d\d$`},
		{"us padded", "03/04/1985", `^\d\d/\d\d/\d{4}$`},
		{"us padded, day above 12", "12/31/1999", `^\d\d/\d\d/\d{4}$`},
		{"us short", "3/4/1985", `^\d{1,2}/\d{1,2}/\d{4}$`},
		{"rfc3339 utc", "1985-03-04T10:11:12Z", `^\d{4}-\d\d-\d\dT00:00:00Z$`},
		{"rfc3339 offset", "1985-03-04T23:30:00+14:00",
			`^\d{4}-\d\d-\d\dT00:00:00\+14:00$`},
		{"rfc3339 fraction", "1985-03-04T23:30:00.123-05:30",
			`^\d{4}-\d\d-\d\dT00:00:00-05:30$`},
		{"not a date", "yesterday", `^\d{4}-\d\d-\d\d$`},
		{"invalid calendar date", "02/30/1985", `^\d{4}-\d\d-\d\d$`},
		{"day first is not recognized", "31/12/1985", `^\d{4}-\d\d-\d\d$`},
		{"two-digit year", "3/4/85", `^\d{4}-\d\d-\d\d$`},
		{"empty", "", `^\d{4}-\d\d-\d\d$`},
	}
	s := fakeBuild(t, FakeDateOfBirth, "dob", nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := txApply(t, s, txWorker(t, fakeTestKey), "dob", txStrings(tt.in))[0].(string)
			if !regexp.MustCompile(tt.want).MatchString(got) {
				t.Errorf("%q became %q, want layout %s", tt.in, got, tt.want)
			}
			if got == tt.in {
				t.Errorf("date unchanged")
			}
		})
	}
}

func TestFakeDateOfBirthIgnoresTimeZone(t *testing.T) {
	in := txStrings("1985-03-04", "1899-12-31", "1985-03-04T10:00:00+01:00", "3/4/1985")
	s := fakeBuild(t, FakeDateOfBirth, "dob", nil)
	before := txApply(t, s, txWorker(t, fakeTestKey), "dob", in)

	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	for _, zone := range []*time.Location{
		time.FixedZone("far east", 14*3600), time.FixedZone("far west", -12*3600),
	} {
		time.Local = zone
		after := txApply(t, s, txWorker(t, fakeTestKey), "dob", in)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("zone %s changed the output: %q vs %q", zone, before, after)
		}
	}
}

// fakeGenerated returns n realistic inputs of kind from a seeded faker.
func fakeGenerated(kind FakeKind, n int) []any {
	f := gofakeit.New(42)
	out := make([]any, n)
	for i := range out {
		switch kind {
		case FakeFirstName:
			out[i] = f.FirstName()
		case FakeLastName:
			out[i] = f.LastName()
		case FakeFullName:
			out[i] = f.Name()
		case FakeEmail:
			// Include addresses shaped like the fakes themselves.
			if i%2 == 0 {
				out[i] = f.Email()
			} else {
				out[i] = strings.ToLower(f.FirstName()+"."+f.LastName()) +
					fmt.Sprintf(".%08d@example.org", i)
			}
		case FakeCity:
			out[i] = f.City()
		case FakeUsername:
			out[i] = f.Username()
		case FakeCompany:
			out[i] = f.Company()
		default:
			out[i] = fmt.Sprint(i)
		}
	}
	return out
}

func TestFakeNeverEchoesInput(t *testing.T) {
	const sentinel = "Zyxwvutsrq Sentinelname"
	for _, kind := range FakeKinds() {
		t.Run(string(kind), func(t *testing.T) {
			in := fakeGenerated(kind, 2000)
			in = append(in, sentinel, strings.ToLower(sentinel))
			s := fakeBuild(t, kind, "col", nil)
			got := txApply(t, s, txWorker(t, fakeTestKey), "col", in)
			for i, g := range got {
				if strings.EqualFold(g.(string), in[i].(string)) {
					t.Errorf("value %d was kept: %q", i, g)
				}
				if strings.Contains(strings.ToLower(g.(string)), "sentinel") {
					t.Errorf("value %d: sentinel leaked into %q", i, g)
				}
			}
		})
	}
}

func TestFakeRerollsWhenEqual(t *testing.T) {
	// Feed the fakes back in: a value that is itself a fake of its own kind
	// must still come out changed.
	for _, kind := range []FakeKind{FakeCity, FakeFirstName, FakeIPv4} {
		t.Run(string(kind), func(t *testing.T) {
			s := fakeBuild(t, kind, "col", nil)
			w := txWorker(t, fakeTestKey)
			in := fakeSample(kind, 500)
			for round := 0; round < 3; round++ {
				out := txApply(t, s, w, "col", in)
				for i := range out {
					if out[i] == in[i] {
						t.Fatalf("round %d value %d kept: %q", round, i, out[i])
					}
				}
				in = out
			}
		})
	}
}

func TestFakeEmailDistinct(t *testing.T) {
	// B04: 100,000 distinct inputs give 100,000 distinct emails.
	const n = 100_000
	in := make([]any, n)
	for i := range in {
		in[i] = fmt.Sprintf("user%d@example.org", i)
	}
	s := fakeBuild(t, FakeEmail, "email", nil)
	got := txApply(t, s, txWorker(t, fakeTestKey), "email", in)
	seen := make(map[string]bool, n)
	for _, g := range got {
		if seen[g.(string)] {
			t.Fatalf("duplicate fake email %q", g)
		}
		seen[g.(string)] = true
	}
}

func TestFakeNoSecret(t *testing.T) {
	s := fakeBuild(t, FakeFirstName, "name", nil)
	_, err := txTryApply(s, txWorker(t, ""), "name", txStrings("Ana"), 0)
	if !errors.Is(err, ErrNoSecret) {
		t.Fatalf("got %v, want ErrNoSecret", err)
	}
	if strings.Contains(err.Error(), "Ana") {
		t.Errorf("error %q carries the value", err)
	}
	if !fakeSpec.Keyed {
		t.Error("fake spec is not marked keyed")
	}
}

func TestFakeOptionErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     map[string]any
		param   string
		message string
	}{
		{"kind is required", map[string]any{}, "kind", "is required"},
		{"unknown kind", map[string]any{"kind": "ssn"}, "kind", "first_name"},
		{"kind of wrong type", map[string]any{"kind": uint64(3)}, "kind", "want enum"},
		{"empty namespace", map[string]any{"kind": "city", "namespace": ""}, "namespace",
			"must not be empty"},
		{"unknown option", map[string]any{"kind": "city", "type": "city"}, "type",
			"it takes kind, namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := txTryBuild(fakeSpec, "col", tt.raw)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Fatalf("got %v, want a ParamError for %q", err, tt.param)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", err, tt.message)
			}
		})
	}
	if _, err := NewFake("nope", "ns"); !errors.Is(err, ErrInvalidParam) {
		t.Errorf("NewFake accepted an unknown kind: %v", err)
	}
}

func TestFakeKindsMatchSpec(t *testing.T) {
	p := fakeSpec.Param("kind")
	if p == nil || !reflect.DeepEqual(p.Enum, fakeKindNames()) {
		t.Fatalf("kind enum %v differs from FakeKinds", p)
	}
	for _, k := range FakeKinds() {
		if !strings.Contains(fakeSpec.Doc, string(k)) {
			t.Errorf("kind %s is not documented in the spec", k)
		}
		if _, err := NewFake(k, "ns"); err != nil {
			t.Errorf("kind %s: %v", k, err)
		}
	}
}

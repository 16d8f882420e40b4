package transform

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

const tokKey = "tokenize-test-key-0001"

// tokenizeSamples are values of the formats tokenize must keep.
var tokenizeSamples = []string{
	"ana.lima@example.org",
	"John.Smith84@Example.COM",
	"j.o.h.n+tag@mail.example.co.uk",
	"+1 (555) 123-4567",
	"555-123-4567",
	"078-05-1120",
	"123456789",
	"DE89 3704 0044 0532 0130 00",
	"GB82WEST12345698765432",
	"McDonald",
	"AbCdEfGhIjKlMnOp",
	"Müller-Lüdenscheidt 42",
	"user_name-2024",
	"4111 1111 1111 1111",
	"Z9y8X7w6",
}

func tokenizeFor(t testing.TB, raw map[string]any) *Tokenize {
	t.Helper()
	return txBuild(t, tokenizeSpec, "email", raw).(*Tokenize)
}

func TestTokenizeKeepsFormat(t *testing.T) {
	tk := tokenizeFor(t, map[string]any{})
	w := txWorker(t, tokKey)
	out := txApply(t, tk, w, "email", txStrings(tokenizeSamples...))
	for i, v := range tokenizeSamples {
		got := out[i].(string)
		if got == v {
			t.Errorf("%q: token equals the value", v)
		}
		if len(got) != len(v) || !utf8.ValidString(got) {
			t.Errorf("%q -> %q: length or UTF-8 changed", v, got)
			continue
		}
		for j := 0; j < len(v); j++ {
			if classOf(v[j]) != classOf(got[j]) {
				t.Errorf("%q -> %q: class of byte %d changed", v, got, j)
			}
			if classOf(v[j]) == classNone && v[j] != got[j] {
				t.Errorf("%q -> %q: byte %d (not a letter or digit) changed", v, got, j)
			}
		}
	}
}

func TestTokenizeRoundTrip(t *testing.T) {
	tk := tokenizeFor(t, map[string]any{"tweak": "t1"})
	w := txWorker(t, tokKey)

	values := append([]string(nil), tokenizeSamples...)
	rng := rand.New(rand.NewPCG(3, 4))
	const chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.@ é"
	for len(values) < 3000 {
		n := 1 + rng.IntN(60)
		var b strings.Builder
		for range n {
			b.WriteString(string([]rune(chars)[rng.IntN(utf8.RuneCountInString(chars))]))
		}
		values = append(values, b.String())
	}

	ok := 0
	for _, v := range values {
		tok, err := tk.AppendToken(w, nil, []byte(v))
		if errors.Is(err, errTokenShort) {
			continue
		}
		if err != nil {
			t.Fatalf("token of a %d-byte value: %v", len(v), err)
		}
		ok++
		back, err := tk.AppendReveal(w, []byte("prefix:"), tok)
		if err != nil {
			t.Fatal(err)
		}
		if string(back) != "prefix:"+v {
			t.Fatalf("reveal(token(%q)) = %q", v, back)
		}
	}
	if ok < 2000 {
		t.Errorf("only %d of %d random values were long enough", ok, len(values))
	}
}

func TestTokenizeDeterministicAndKeyed(t *testing.T) {
	vals := txStrings(tokenizeSamples...)
	base := txApply(t, tokenizeFor(t, map[string]any{}), txWorker(t, tokKey), "email", vals)
	again := txApply(t, tokenizeFor(t, map[string]any{}), txWorker(t, tokKey), "email", vals)
	if fmt.Sprint(base) != fmt.Sprint(again) {
		t.Errorf("two runs differ:\n%v\n%v", base, again)
	}

	variants := map[string][]any{
		"other key": txApply(t, tokenizeFor(t, map[string]any{}),
			txWorker(t, "another-key-000000001"), "email", vals),
		"other namespace": txApply(t, tokenizeFor(t, map[string]any{"namespace": "x"}),
			txWorker(t, tokKey), "email", vals),
		"other tweak": txApply(t, tokenizeFor(t, map[string]any{"tweak": "2024"}),
			txWorker(t, tokKey), "email", vals),
	}
	for name, got := range variants {
		same := 0
		for i := range got {
			if got[i] == base[i] {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%s: %d of %d tokens unchanged", name, same, len(got))
		}
	}

	// The namespace defaults to the column name.
	named := txApply(t, tokenizeFor(t, map[string]any{"namespace": "email"}),
		txWorker(t, tokKey), "email", vals)
	if fmt.Sprint(named) != fmt.Sprint(base) {
		t.Error("namespace email differs from the default on column email")
	}
}

func TestTokenizeNullsShortAndPlain(t *testing.T) {
	tk := tokenizeFor(t, map[string]any{})
	w := txWorker(t, tokKey)
	out := txApply(t, tk, w, "email", []any{nil, "", "--", " ", "123456", nil})
	if out[0] != nil || out[5] != nil {
		t.Errorf("nulls not kept: %v", out)
	}
	if out[1] != "" || out[2] != "--" || out[3] != " " {
		t.Errorf("values without letters or digits changed: %q", out[1:4])
	}

	for _, short := range []string{"12345", "ab-12", "AB12", "n/a", "張偉", "Q"} {
		_, err := txTryApply(tk, w, "phone", txStrings("1234567", short), 41)
		var re *RowError
		if !errors.As(err, &re) || re.Row != 43 || re.Column != "phone" {
			t.Errorf("%q: err = %v, want a RowError for row 43, column phone", short, err)
			continue
		}
		if strings.Contains(err.Error(), short) {
			t.Errorf("error %q leaks the value", err)
		}
	}

	// The smallest accepted domains.
	for _, v := range []string{"123456", "abcde", "ABCDE", "ab1234", "Ab-c12"} {
		if _, err := tk.AppendToken(w, nil, []byte(v)); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
	if _, err := tk.AppendToken(w, nil, make([]byte, maxTokenizeLen+1)); err == nil {
		t.Error("an over-long value was accepted")
	}

	if _, err := txTryApply(tk, txWorker(t, ""), "c", txStrings("123456"), 0); !errors.Is(err,
		ErrNoSecret) {
		t.Errorf("no key: err = %v, want ErrNoSecret", err)
	}
}

func TestTokenizeUniqueSpecs(t *testing.T) {
	tests := []struct {
		strategy string
		raw      map[string]any
		ok       bool
	}{
		{"tokenize", map[string]any{}, true},
		{"keep", nil, true},
		{"hash", map[string]any{}, true},
		{"hash", map[string]any{"length": 24}, true},
		{"hash", map[string]any{"length": 20, "encoding": "base32"}, true},
		{"hash", map[string]any{"length": 16}, false},
		{"hash", map[string]any{"length": 19, "encoding": "base32"}, false},
		{"mask", map[string]any{"keep_first": 6}, false},
		{"fake", map[string]any{"kind": "email"}, true},
		{"fake", map[string]any{"kind": "phone"}, true},
		{"fake", map[string]any{"kind": "username"}, true},
		{"fake", map[string]any{"kind": "first_name"}, false},
		{"fake", map[string]any{"kind": "city"}, false},
		{"constant", map[string]any{"value": "x"}, false},
		{"null", nil, false},
	}
	for _, tc := range tests {
		spec, err := Lookup(tc.strategy)
		if err != nil {
			t.Fatal(err)
		}
		o, errs := spec.Parse("c", tc.raw)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		err = spec.CheckUnique(o)
		if (err == nil) != tc.ok {
			t.Errorf("%s %v: CheckUnique = %v, want ok %v", tc.strategy, tc.raw, err, tc.ok)
		}
		if err != nil && (!errors.Is(err, ErrNotUnique) ||
			!strings.Contains(err.Error(), "tokenize")) {
			t.Errorf("%s: error %q does not wrap ErrNotUnique or suggest tokenize",
				tc.strategy, err)
		}
	}
}

// TestTokenizeMillionsDistinct pushes 1 million distinct emails, phone
// numbers and 9-digit IDs through tokenize and full-length hash and checks
// that no two share an output. Tokens are also revealed back for a sample.
// It takes 10 to 25 s on 2 cores, depending on load, and is skipped with
// -short.
func TestTokenizeMillionsDistinct(t *testing.T) {
	if testing.Short() {
		t.Skip("3 million values; skipped with -short")
	}
	const n = 1_000_000
	firsts := []string{"ana", "bo", "carla", "dmitri", "eve", "farid", "grace", "hugo",
		"ines", "jan"}
	lasts := []string{"lima", "smith", "ng", "okafor", "mueller", "rossi", "tanaka",
		"kowalski", "silva", "dubois"}
	domains := []string{"example.org", "mail.example.com", "example.net"}
	inputs := map[string]func(i int) string{
		"email": func(i int) string {
			return fmt.Sprintf("%s.%s%d@%s", firsts[i%10], lasts[i/10%10], i/100,
				domains[i%3])
		},
		"phone": func(i int) string {
			return fmt.Sprintf("+1 (%03d) %03d-%04d", 200+i%700, i/700%1000, i/700/1000+
				i%13*100)
		},
		"id": func(i int) string { return fmt.Sprintf("%09d", i*997) },
	}
	// Each generator is injective in i, so the inputs are distinct: email
	// through (i%10, i/10%10, i/100), id through i*997 < 10^9, phone through
	// i mod 700000 (first two groups) and i/700000 (the last digit's parity
	// with i%13*100).

	tk := NewTokenize("distinct", "")
	h, err := NewHash(HashHex, 0, "distinct")
	if err != nil {
		t.Fatal(err)
	}
	// fake with unique: true, for the kinds it covers.
	uniqueFakes := map[string]*UniqueFake{}
	for name, kind := range map[string]FakeKind{"email": FakeEmail, "phone": FakePhone} {
		if uniqueFakes[name], err = NewUniqueFake(kind, "distinct"); err != nil {
			t.Fatal(err)
		}
	}
	for name, gen := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			tokens := make([]string, n)
			fakes := make([]string, n)
			uf := uniqueFakes[name]
			hashes := make([][2]uint64, n)
			workers := runtime.GOMAXPROCS(0)
			var wg sync.WaitGroup
			errs := make([]error, workers)
			for g := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w := NewWorker(NewSecret([]byte(tokKey)), nil)
					var buf []byte
					var err error
					for i := g; i < n; i += workers {
						in := gen(i)
						buf, err = tk.AppendToken(w, buf[:0], []byte(in))
						if err != nil {
							errs[g] = err
							return
						}
						tokens[i] = string(buf)
						if uf != nil {
							if buf, err = uf.AppendUniqueFake(w, buf[:0], []byte(in)); err != nil {
								errs[g] = err
								return
							}
							fakes[i] = string(buf)
						}
						buf, _ = h.AppendToken(w, buf[:0], []byte(in))
						var d [16]byte
						hex.Decode(d[:], buf[:32])
						hashes[i] = [2]uint64{beUint64(d[:8]), beUint64(d[8:])}
						if i%10007 == 0 {
							rev, err := tk.AppendReveal(w, nil, []byte(tokens[i]))
							if err != nil || string(rev) != in {
								errs[g] = fmt.Errorf("row %d does not reveal back", i)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)

			if d := countDuplicates(tokens); d > 0 {
				t.Errorf("tokenize: %d duplicate tokens among %d distinct %s values", d, n,
					name)
			}
			if uf != nil {
				if d := countDuplicates(fakes); d > 0 {
					t.Errorf("unique fake: %d duplicates among %d distinct %s values", d, n,
						name)
				}
				if name == "email" && (!strings.HasSuffix(fakes[0], ".example") ||
					strings.Count(fakes[0], "@") != 1) {
					t.Errorf("unique fake email %q is not an address at .example", fakes[0])
				}
			}
			slices.SortFunc(hashes, func(a, b [2]uint64) int {
				if c := cmpUint(a[0], b[0]); c != 0 {
					return c
				}
				return cmpUint(a[1], b[1])
			})
			for i := 1; i < n; i++ {
				if hashes[i] == hashes[i-1] {
					t.Errorf("hash: duplicate among %d distinct %s values", n, name)
					break
				}
			}
			if name == "id" {
				for _, tok := range tokens[:1000] {
					if _, err := strconv.Atoi(tok); err != nil || len(tok) != 9 {
						t.Fatalf("id token %q is not 9 digits", tok)
					}
				}
			}
			t.Logf("%d %s values tokenized and hashed in %v", n, name, elapsed)
		})
	}
}

func countDuplicates(ss []string) int {
	s := slices.Clone(ss)
	slices.Sort(s)
	d := 0
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			d++
		}
	}
	return d
}

func beUint64(b []byte) uint64 {
	var z uint64
	for _, c := range b {
		z = z<<8 | uint64(c)
	}
	return z
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func BenchmarkTokenize(b *testing.B) {
	w := NewWorker(NewSecret([]byte(tokKey)), nil)
	tk := NewTokenize("bench", "")
	for _, v := range []string{"123456789", "+1 (555) 123-4567", "ana.lima@example.org",
		"John.Smith84@Example.COM"} {
		b.Run(v, func(b *testing.B) {
			sc, err := tk.scratch(w)
			if err != nil {
				b.Fatal(err)
			}
			var buf []byte
			for b.Loop() {
				buf, _ = sc.appendCrypt(buf[:0], []byte(v), true)
			}
		})
	}
}

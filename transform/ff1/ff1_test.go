package ff1

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// nistSamples are the nine FF1 samples of NIST's "FF1samples.pdf"
// (csrc.nist.gov, Examples with Intermediate Values, SP 800-38G), as
// reproduced in the test vectors of github.com/capitalone/fpe,
// ff1/ff1_test.go (Apache-2.0). Samples 1-3 use AES-128, 4-6 AES-192 and 7-9
// AES-256.
var nistSamples = []struct {
	key, tweak  string // hex
	radix       int
	plain, want string // numerals 0-9a-z
}{
	{"2B7E151628AED2A6ABF7158809CF4F3C", "", 10, "0123456789", "2433477484"},
	{"2B7E151628AED2A6ABF7158809CF4F3C", "39383736353433323130", 10,
		"0123456789", "6124200773"},
	{"2B7E151628AED2A6ABF7158809CF4F3C", "3737373770717273373737", 36,
		"0123456789abcdefghi", "a9tv40mll9kdu509eum"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F", "", 10,
		"0123456789", "2830668132"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F", "39383736353433323130", 10,
		"0123456789", "2496655549"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F", "3737373770717273373737", 36,
		"0123456789abcdefghi", "xbj3kv35jrawxv32ysr"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94", "", 10,
		"0123456789", "6657667009"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
		"39383736353433323130", 10, "0123456789", "1001623463"},
	{"2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
		"3737373770717273373737", 36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"},
}

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

func numerals(s string) []uint16 {
	out := make([]uint16, len(s))
	for i := range s {
		out[i] = uint16(strings.IndexByte(alphabet, s[i]))
	}
	return out
}

func text(x []uint16) string {
	var b strings.Builder
	for _, d := range x {
		b.WriteByte(alphabet[d])
	}
	return b.String()
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNISTSamples(t *testing.T) {
	for i, s := range nistSamples {
		t.Run(fmt.Sprintf("sample%d", i+1), func(t *testing.T) {
			c, err := New(mustHex(t, s.key), s.radix)
			if err != nil {
				t.Fatal(err)
			}
			tweak := mustHex(t, s.tweak)
			ct, err := c.Encrypt(tweak, numerals(s.plain))
			if err != nil {
				t.Fatal(err)
			}
			if got := text(ct); got != s.want {
				t.Errorf("Encrypt = %s, want %s", got, s.want)
			}
			pt, err := c.Decrypt(tweak, numerals(s.want))
			if err != nil {
				t.Fatal(err)
			}
			if got := text(pt); got != s.plain {
				t.Errorf("Decrypt = %s, want %s", got, s.plain)
			}

			// The math/big path must agree with the uint64 path.
			bigCT := make([]uint16, len(ct))
			if err := c.cryptForceBig(bigCT, tweak, numerals(s.plain)); err != nil {
				t.Fatal(err)
			}
			if got := text(bigCT); got != s.want {
				t.Errorf("big path Encrypt = %s, want %s", got, s.want)
			}
		})
	}
}

// cryptForceBig encrypts through cryptBig even when the halves fit in 64 bits.
func (c *Cipher) cryptForceBig(dst []uint16, tweak []byte, x []uint16) error {
	forceBig = true
	defer func() { forceBig = false }()
	return c.EncryptTo(dst, tweak, x)
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	radixes := []int{2, 3, 10, 16, 26, 36, 62, 255, 256, 1000, 65535, 65536}
	for iter := 0; iter < 600; iter++ {
		radix := radixes[iter%len(radixes)]
		if iter%3 == 0 {
			radix = 2 + rng.IntN(MaxRadix-1)
		}
		key := make([]byte, []int{16, 24, 32}[rng.IntN(3)])
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		c, err := New(key, radix)
		if err != nil {
			t.Fatal(err)
		}
		n := c.MinLen() + rng.IntN(60)
		if iter%50 == 0 {
			n = c.MinLen() + 200 + rng.IntN(300) // long strings: math/big path
		}
		x := make([]uint16, n)
		for i := range x {
			x[i] = uint16(rng.IntN(radix))
		}
		tweak := make([]byte, rng.IntN(40))
		for i := range tweak {
			tweak[i] = byte(rng.Uint32())
		}

		ct, err := c.Encrypt(tweak, x)
		if err != nil {
			t.Fatalf("radix %d len %d: %v", radix, n, err)
		}
		for _, d := range ct {
			if int(d) >= radix {
				t.Fatalf("radix %d: numeral %d out of range", radix, d)
			}
		}
		pt, err := c.Decrypt(tweak, ct)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(pt, x) {
			t.Fatalf("radix %d len %d tweak %d: round trip failed", radix, n, len(tweak))
		}

		// The big path gives the same ciphertext.
		if n <= 40 {
			bigCT := make([]uint16, n)
			if err := c.cryptForceBig(bigCT, tweak, x); err != nil {
				t.Fatal(err)
			}
			if !equal(bigCT, ct) {
				t.Fatalf("radix %d len %d: big and uint64 paths differ", radix, n)
			}
		}

		// In place works too.
		inPlace := append([]uint16(nil), x...)
		if err := c.EncryptTo(inPlace, tweak, inPlace); err != nil || !equal(inPlace, ct) {
			t.Fatalf("in-place encryption differs (err %v)", err)
		}
	}
}

func TestPermutationSmallDomain(t *testing.T) {
	// Every 6-digit string maps to a distinct 6-digit string.
	c, err := New(bytes.Repeat([]byte{7}, 32), 10)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, 1_000_000)
	x := make([]uint16, 6)
	out := make([]uint16, 6)
	for v := 0; v < 1_000_000; v += 7 {
		str64(x, uint64(v), 10)
		if err := c.EncryptTo(out, []byte("t"), x); err != nil {
			t.Fatal(err)
		}
		y := num64(out, 10)
		if seen[y] {
			t.Fatalf("collision at %d", v)
		}
		seen[y] = true
	}
}

func TestRejections(t *testing.T) {
	key := make([]byte, 32)
	for _, r := range []int{-1, 0, 1, MaxRadix + 1} {
		if _, err := New(key, r); !errors.Is(err, ErrRadix) {
			t.Errorf("New(radix %d) = %v, want ErrRadix", r, err)
		}
	}
	for _, n := range []int{0, 15, 17, 33} {
		if _, err := New(make([]byte, n), 10); !errors.Is(err, ErrKey) {
			t.Errorf("New(%d-byte key) = %v, want ErrKey", n, err)
		}
	}

	minLens := map[int]int{2: 20, 10: 6, 26: 5, 36: 4, 62: 4, 1000: 2, 65536: 2}
	for radix, want := range minLens {
		if got := MinLen(radix); got != want {
			t.Errorf("MinLen(%d) = %d, want %d", radix, got, want)
		}
		c, err := New(key, radix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Encrypt(nil, make([]uint16, want-1)); !errors.Is(err, ErrLength) {
			t.Errorf("radix %d, length %d: err = %v, want ErrLength", radix, want-1, err)
		}
		if _, err := c.Decrypt(nil, make([]uint16, want-1)); !errors.Is(err, ErrLength) {
			t.Errorf("radix %d, length %d: Decrypt err = %v, want ErrLength", radix,
				want-1, err)
		}
		if _, err := c.Encrypt(nil, make([]uint16, want)); err != nil {
			t.Errorf("radix %d, length %d: %v", radix, want, err)
		}
	}

	c, _ := New(key, 10)
	if _, err := c.Encrypt(nil, []uint16{1, 2, 3, 4, 5, 10}); !errors.Is(err, ErrNumeral) {
		t.Errorf("numeral 10 in radix 10: err = %v, want ErrNumeral", err)
	}
	if _, err := c.Encrypt(nil, make([]uint16, MaxLen+1)); !errors.Is(err, ErrLength) {
		t.Errorf("too long: err = %v, want ErrLength", err)
	}
	if _, err := c.Encrypt(make([]byte, MaxTweakLen+1), make([]uint16, 6)); !errors.Is(err,
		ErrTweak) {
		t.Errorf("long tweak: err = %v, want ErrTweak", err)
	}
}

func TestNoAllocs(t *testing.T) {
	c, _ := New(make([]byte, 32), 10)
	x := numerals("0123456789")
	out := make([]uint16, len(x))
	tweak := []byte("a tweak longer than one block of sixteen bytes")
	allocs := testing.AllocsPerRun(100, func() {
		_ = c.EncryptTo(out, tweak, x)
	})
	if allocs > 0 {
		t.Errorf("EncryptTo allocates %.1f times per call", allocs)
	}
}

func equal(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func BenchmarkEncrypt(b *testing.B) {
	for _, bc := range []struct {
		radix, n int
	}{{10, 9}, {10, 16}, {26, 20}, {26, 40}, {2, 64}} {
		b.Run(fmt.Sprintf("radix%d/len%d", bc.radix, bc.n), func(b *testing.B) {
			c, _ := New(make([]byte, 32), bc.radix)
			x := make([]uint16, bc.n)
			tweak := []byte("namespace/shape")
			for b.Loop() {
				_ = c.EncryptTo(x, tweak, x)
			}
		})
	}
}

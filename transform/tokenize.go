package transform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/transform/ff1"
)

var tokenizeSpec = &Spec{
	Name:    "tokenize",
	Summary: "encrypt each value with FF1, keeping its format; reversible with the key",
	Doc: "Every non-null value is encrypted with FF1 format-preserving encryption " +
		"(NIST SP 800-38G) under an AES-256 key derived from the run's secret key and " +
		"the namespace. Digits stay digits, lowercase letters stay lowercase and " +
		"uppercase letters stay uppercase (ASCII only); every other character " +
		"(spaces, punctuation such as - ( ) . + @ /, and non-ASCII characters such as " +
		"é) stays where it was, so the length and the layout are kept: " +
		"ana.lima@example.org becomes another word.word@word.word address, a phone " +
		"number another phone number. The mapping is a bijection for a given key, " +
		"namespace and tweak: distinct values always get distinct tokens, so the " +
		"column stays unique, the same value always gets the same token (joins keep " +
		"working across columns sharing a namespace), and `anon reveal` turns a " +
		"token back into its value for whoever holds the key. Digits, lowercase and " +
		"uppercase letters are encrypted as three separate numeral strings when " +
		"each has enough characters for FF1's minimum domain of 1,000,000 values (6 " +
		"digits, 5 letters); otherwise all the letters and digits of the value are " +
		"encrypted together as one mixed-radix number, each keeping its class. The " +
		"layout is part of the tweak, so 555-123-4567 and 5551234567 get unrelated " +
		"digits. A " +
		"value whose letters and digits allow fewer than 1,000,000 combinations (\"AB12\", " +
		"a 5-digit number) cannot be encrypted safely and stops the run with an error " +
		"naming its row and column, never the value; a value of only ASCII spaces " +
		"and punctuation (or the empty string) is kept as it is. Values longer than " +
		"60,000 bytes are refused. Nulls stay null. Any non-nested column type is " +
		"accepted and encrypted in its text form; the output is text, so a number " +
		"may come out with a leading zero. Use hash for non-Latin text, whose " +
		"letters tokenize would keep.",
	Keyed: true,
	Params: []Param{
		{Name: "namespace", Type: ParamString,
			Doc: "columns with the same namespace give a value the same token, and " +
				"`anon reveal --namespace` needs it; defaults to the column name"},
		{Name: "tweak", Type: ParamString, Default: "",
			Doc: "extra public input to the encryption: a different tweak gives " +
				"different tokens; `anon reveal --tweak` needs the same"},
	},
	Example: "email: {strategy: tokenize, namespace: customer_email, unique: true}",
	New: func(o Options) (Strategy, error) {
		ns, err := namespaceOption(o)
		if err != nil {
			return nil, err
		}
		return NewTokenize(ns, o.String("tweak")), nil
	},
	Unique: func(Options) error { return nil },
}

// maxTokenizeLen is the longest value, in bytes, that tokenize accepts.
const maxTokenizeLen = 60_000

// tokenizeKeyDomain separates the tokenize key derivation from every other
// use of [Worker.Digest].
const tokenizeKeyDomain = "tokenize/ff1-aes256-key"

var (
	errTokenShort = errors.New("too few letters and digits to tokenize safely: FF1 " +
		"needs at least 1,000,000 possible values (6 digits, 5 letters, or a mix); " +
		"use hash for such values")
	errTokenLong = errors.New("value longer than 60,000 bytes; tokenize refuses it")
)

// Character classes that tokenize encrypts, and their radixes.
const (
	classDigit = iota
	classLower
	classUpper
	numClasses
	classNone = -1
)

var classRadix = [numClasses]int{10, 26, 26}

// classMin is the shortest string of each class that FF1 accepts alone.
var classMin = [numClasses]int{ff1.MinLen(10), ff1.MinLen(26), ff1.MinLen(26)}

// tokenCiphers are the FF1 ciphers of one key.
type tokenCiphers struct {
	byClass [numClasses]*ff1.Cipher
	binary  *ff1.Cipher
}

// Tokenize encrypts text with FF1, keeping each character's class and every
// other character in place. Build it with [NewTokenize]. It is safe for
// concurrent use by several workers.
type Tokenize struct {
	namespace string
	tweak     string

	mu      sync.Mutex
	ciphers map[[32]byte]*tokenCiphers
}

// NewTokenize returns a Tokenize for namespace and tweak.
func NewTokenize(namespace, tweak string) *Tokenize {
	return &Tokenize{namespace: namespace, tweak: tweak,
		ciphers: map[[32]byte]*tokenCiphers{}}
}

// OutputType implements [Strategy]: text (large text stays large); nested
// types are refused.
func (t *Tokenize) OutputType(in arrow.DataType) (arrow.DataType, error) {
	return textStrategyOutputType(in)
}

// Apply implements [Strategy]. Without a secret key it returns an error
// wrapping [ErrNoSecret].
func (t *Tokenize) Apply(w *Worker, in Input) (arrow.Array, error) {
	if !w.keyed {
		return nil, fmt.Errorf("column %q: tokenize needs a secret key: %w", in.Name(),
			ErrNoSecret)
	}
	sc, err := t.scratch(w)
	if err != nil {
		return nil, err
	}
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		return sc.appendCrypt(dst, v, true)
	})
}

// AppendToken appends the token of v to dst and returns it. Errors never
// contain v.
func (t *Tokenize) AppendToken(w *Worker, dst, v []byte) ([]byte, error) {
	sc, err := t.scratch(w)
	if err != nil {
		return dst, err
	}
	return sc.appendCrypt(dst, v, true)
}

// AppendReveal appends the value whose token is token to dst and returns it:
// the inverse of [Tokenize.AppendToken] under the same secret, namespace and
// tweak. A token made under another key reveals a wrong value, not an error.
func (t *Tokenize) AppendReveal(w *Worker, dst, token []byte) ([]byte, error) {
	sc, err := t.scratch(w)
	if err != nil {
		return dst, err
	}
	return sc.appendCrypt(dst, token, false)
}

// scratch returns fresh per-call buffers bound to the ciphers of w's secret.
func (t *Tokenize) scratch(w *Worker) (*tokenScratch, error) {
	cs, err := t.ciphersFor(w)
	if err != nil {
		return nil, err
	}
	return &tokenScratch{cs: cs, userTweak: t.tweak}, nil
}

// ciphersFor returns the ciphers for w's secret and t's namespace, building
// them on first use. The key is HMAC-SHA256 of the secret over a domain of
// its own and the namespace (see [Worker.Digest]).
func (t *Tokenize) ciphersFor(w *Worker) (*tokenCiphers, error) {
	d, err := w.Digest(tokenizeKeyDomain, t.namespace, nil)
	if err != nil {
		return nil, err
	}
	var key [32]byte
	copy(key[:], d)

	t.mu.Lock()
	defer t.mu.Unlock()
	if cs, ok := t.ciphers[key]; ok {
		return cs, nil
	}

	cs := &tokenCiphers{}
	for cls, radix := range classRadix {
		if cs.byClass[cls], err = ff1.New(key[:], radix); err != nil {
			return nil, err
		}
	}
	if cs.binary, err = ff1.New(key[:], 2); err != nil {
		return nil, err
	}
	// One run uses one secret; a long-lived process with many keys must not
	// grow the cache without bound.
	if len(t.ciphers) >= 8 {
		clear(t.ciphers)
	}
	t.ciphers[key] = cs
	return cs, nil
}

// tokenScratch holds the buffers of one worker's batch.
type tokenScratch struct {
	cs        *tokenCiphers
	userTweak string

	tweak []byte
	nums  []uint16
	words []big.Word
	z     big.Int
	n     big.Int
	tmp   big.Int
	rem   big.Int
}

// classOf returns the class of byte c, or classNone.
func classOf(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return classDigit
	case c >= 'a' && c <= 'z':
		return classLower
	case c >= 'A' && c <= 'Z':
		return classUpper
	}
	return classNone
}

// classBase is the character of numeral 0 of each class.
var classBase = [numClasses]byte{'0', 'a', 'A'}

// appendCrypt appends the encryption (enc) or decryption of v to dst.
//
// The FF1 tweak is: one byte naming the class (1-3) or the mixed mode (4),
// the user tweak with its length as a uvarint, and the value's shape: v with
// every digit written 0, every lowercase letter a and every uppercase letter
// A. Encryption keeps the shape, so decryption rebuilds the same tweak.
func (sc *tokenScratch) appendCrypt(dst, v []byte, enc bool) ([]byte, error) {
	if len(v) > maxTokenizeLen {
		return dst, errTokenLong
	}
	start := len(dst)
	dst = append(dst, v...)
	out := dst[start:]

	var count [numClasses]int
	ascii := true
	for _, c := range out {
		if cls := classOf(c); cls != classNone {
			count[cls]++
		} else if c >= 0x80 {
			ascii = false
		}
	}
	if count == [numClasses]int{} && ascii {
		return dst, nil
	}
	if !domainAtLeast(count, ff1.MinDomain) {
		return dst[:start], errTokenShort
	}

	sc.tweak = append(sc.tweak[:0], 0)
	sc.tweak = binary.AppendUvarint(sc.tweak, uint64(len(sc.userTweak)))
	sc.tweak = append(sc.tweak, sc.userTweak...)
	for _, c := range out {
		if cls := classOf(c); cls != classNone {
			c = classBase[cls]
		}
		sc.tweak = append(sc.tweak, c)
	}

	separate := true
	for cls, n := range count {
		if n > 0 && n < classMin[cls] {
			separate = false
		}
	}
	if !separate {
		return dst, sc.cryptMixed(out, count, enc)
	}

	for cls, n := range count {
		if n == 0 {
			continue
		}
		nums := sc.numerals(n)
		k := 0
		for _, c := range out {
			if classOf(c) == cls {
				nums[k] = uint16(c - classBase[cls])
				k++
			}
		}
		sc.tweak[0] = byte(cls + 1)
		if err := sc.crypt(sc.cs.byClass[cls], nums, enc); err != nil {
			return dst[:start], err
		}
		k = 0
		for i, c := range out {
			if classOf(c) == cls {
				out[i] = classBase[cls] + byte(nums[k])
				k++
			}
		}
	}
	return dst, nil
}

// cryptMixed encrypts or decrypts every letter and digit of out together:
// they are read as one mixed-radix number below N = 10^digits * 26^letters,
// which is encrypted with FF1 in radix 2 over the bit length of N-1, cycle
// walking (encrypting again) until the result is below N. That is a
// permutation of [0, N), and N is at least 1,000,000, so FF1's domain of at
// least 2^20 is at most twice N: about two FF1 calls per value on average.
func (sc *tokenScratch) cryptMixed(out []byte, count [numClasses]int, enc bool) error {
	z, n, tmp := &sc.z, &sc.n, &sc.tmp
	z.SetUint64(0)
	n.SetUint64(1)
	// Read the number a chunk of characters at a time: w holds their value
	// and p the product of their radixes, both below 2^64.
	w, p := uint64(0), uint64(1)
	for _, c := range out {
		cls := classOf(c)
		if cls == classNone {
			continue
		}
		r := uint64(classRadix[cls])
		if p > maxChunk/r {
			z.Mul(z, tmp.SetUint64(p))
			z.Add(z, tmp.SetUint64(w))
			n.Mul(n, tmp.SetUint64(p))
			w, p = 0, 1
		}
		w = w*r + uint64(c-classBase[cls])
		p *= r
	}
	z.Mul(z, tmp.SetUint64(p))
	z.Add(z, tmp.SetUint64(w))
	n.Mul(n, tmp.SetUint64(p))

	tmp.Sub(n, tmp.SetUint64(1))
	l := tmp.BitLen()
	nums := sc.numerals(l)
	sc.tweak[0] = 4
	for {
		getBits(nums, z)
		if err := sc.crypt(sc.cs.binary, nums, enc); err != nil {
			return err
		}
		sc.setBits(z, nums)
		if z.Cmp(n) < 0 {
			break
		}
	}

	// Write the number back from the last character, a chunk at a time.
	for i := len(out) - 1; i >= 0; {
		p, j := uint64(1), i
		for ; j >= 0; j-- {
			if cls := classOf(out[j]); cls != classNone {
				r := uint64(classRadix[cls])
				if p > maxChunk/r {
					break
				}
				p *= r
			}
		}
		z.QuoRem(z, tmp.SetUint64(p), &sc.rem)
		w := sc.rem.Uint64()
		for ; i > j; i-- {
			if cls := classOf(out[i]); cls != classNone {
				r := uint64(classRadix[cls])
				out[i] = classBase[cls] + byte(w%r)
				w /= r
			}
		}
	}
	return nil
}

// maxChunk bounds the product of the radixes of one chunk of characters
// read or written at once by cryptMixed.
const maxChunk = 1<<64 - 1

// setBits sets z to the number whose binary numerals, most significant
// first, are nums.
func (sc *tokenScratch) setBits(z *big.Int, nums []uint16) {
	nw := (len(nums) + bits.UintSize - 1) / bits.UintSize
	if cap(sc.words) < nw {
		sc.words = make([]big.Word, nw)
	}
	words := sc.words[:nw]
	for k := range words {
		var wd big.Word
		end := len(nums) - k*bits.UintSize
		for _, d := range nums[max(0, end-bits.UintSize):end] {
			wd = wd<<1 | big.Word(d)
		}
		words[k] = wd
	}
	// SetBits aliases words; Set copies them into z's own storage.
	z.Set(sc.rem.SetBits(words))
}

// getBits writes the low len(nums) bits of z to nums as binary numerals,
// most significant first.
func getBits(nums []uint16, z *big.Int) {
	words := z.Bits()
	for k := 0; k*bits.UintSize < len(nums); k++ {
		var wd big.Word
		if k < len(words) {
			wd = words[k]
		}
		end := len(nums) - k*bits.UintSize
		for i := end - 1; i >= max(0, end-bits.UintSize); i-- {
			nums[i] = uint16(wd & 1)
			wd >>= 1
		}
	}
}

// crypt runs one FF1 call in place on nums with the current tweak.
func (sc *tokenScratch) crypt(c *ff1.Cipher, nums []uint16, enc bool) error {
	if enc {
		return c.EncryptTo(nums, sc.tweak, nums)
	}
	return c.DecryptTo(nums, sc.tweak, nums)
}

// numerals returns a scratch numeral slice of length n.
func (sc *tokenScratch) numerals(n int) []uint16 {
	if cap(sc.nums) < n {
		sc.nums = make([]uint16, n)
	}
	return sc.nums[:n]
}

// domainAtLeast reports whether 10^digits * 26^letters is at least min.
func domainAtLeast(count [numClasses]int, min int) bool {
	d := 1
	for cls, n := range count {
		for ; n > 0 && d < min; n-- {
			d *= classRadix[cls]
		}
	}
	return d >= min
}

// Package ff1 implements the FF1 format-preserving encryption mode of NIST
// SP 800-38G Rev. 1 over AES from the standard library.
//
// FF1 encrypts a string of numerals in a radix (digits 0-9 in radix 10, for
// example) into another string of the same length and radix. For a fixed key
// and tweak it is a permutation of all strings of that length, so distinct
// plaintexts always give distinct ciphertexts. The PRF is AES-CBC-MAC as the
// standard specifies; NUM and STR conversions use math/big where a half does
// not fit in 64 bits, and plain integers otherwise.
//
// Rev. 1 limits: the radix is 2 to 65536, and a numeral string must be at
// least 2 numerals long with radix^len of at least 1,000,000 ([MinDomain]).
package ff1

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"sync"
)

// Limits of this implementation. MinRadix, MaxRadix and MinDomain are those
// of SP 800-38G Rev. 1; MaxLen and MaxTweakLen are this implementation's
// choice of the standard's maxlen and maxTlen (which may be up to 2^32).
const (
	MinRadix    = 2
	MaxRadix    = 1 << 16
	MinDomain   = 1_000_000
	MaxLen      = 1 << 16
	MaxTweakLen = 1 << 16
)

// forceBig makes every call take the math/big path; tests set it.
var forceBig bool

// rounds is the number of Feistel rounds of FF1.
const rounds = 10

var (
	// ErrRadix is returned for a radix outside [MinRadix, MaxRadix].
	ErrRadix = errors.New("ff1: radix must be between 2 and 65536")

	// ErrKey is returned for a key that is not 16, 24 or 32 bytes long.
	ErrKey = errors.New("ff1: key must be 16, 24 or 32 bytes")

	// ErrLength is returned for a numeral string whose domain is below
	// MinDomain, or that is longer than MaxLen.
	ErrLength = errors.New("ff1: numeral string length out of range")

	// ErrTweak is returned for a tweak longer than MaxTweakLen.
	ErrTweak = errors.New("ff1: tweak too long")

	// ErrNumeral is returned for a numeral that is not below the radix.
	ErrNumeral = errors.New("ff1: numeral not below the radix")
)

// Cipher is FF1 with one key and radix. It is safe for concurrent use: each
// call takes its scratch buffers from a pool.
type Cipher struct {
	block  cipher.Block
	radix  int
	minLen int

	// chunk is the largest k with radix^k < 2^64, and chunkPow is radix^k;
	// big conversions work k numerals at a time.
	chunk    int
	chunkPow uint64

	pool sync.Pool
}

// state is the scratch space of one Encrypt or Decrypt call.
type state struct {
	block cipher.Block

	// q is Q; tail is its part from the block holding the round number at
	// iPos; prefix is the CBC-MAC state after P and the blocks before tail.
	q      []byte
	tail   []byte
	iPos   int
	prefix [16]byte
	p      [16]byte

	// s holds S, of which the first d bytes are used.
	s []byte
	d int

	a, b, y, modU, modV, tmp, rem big.Int
}

// New returns an FF1 cipher over AES with key (16, 24 or 32 bytes, for
// AES-128, -192 or -256) for numeral strings in radix.
func New(key []byte, radix int) (*Cipher, error) {
	if radix < MinRadix || radix > MaxRadix {
		return nil, ErrRadix
	}
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, ErrKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, ErrKey
	}

	c := &Cipher{block: block, radix: radix, minLen: MinLen(radix)}
	c.chunk, c.chunkPow = 1, uint64(radix)
	for {
		hi, lo := bits.Mul64(c.chunkPow, uint64(radix))
		if hi != 0 {
			break
		}
		c.chunk++
		c.chunkPow = lo
	}
	c.pool.New = func() any { return new(state) }
	return c, nil
}

// MinLen returns the shortest numeral string FF1 accepts in radix: at least
// 2, and long enough that radix^len is at least [MinDomain]. It returns 0 for
// a radix out of range.
func MinLen(radix int) int {
	if radix < MinRadix || radix > MaxRadix {
		return 0
	}
	n, dom := 0, 1
	for dom < MinDomain || n < 2 {
		dom *= radix
		n++
	}
	return n
}

// Radix returns the cipher's radix.
func (c *Cipher) Radix() int { return c.radix }

// MinLen returns the shortest numeral string the cipher accepts.
func (c *Cipher) MinLen() int { return c.minLen }

// Encrypt returns the encryption of the numeral string x under tweak, in a
// new slice.
func (c *Cipher) Encrypt(tweak []byte, x []uint16) ([]uint16, error) {
	out := make([]uint16, len(x))
	if err := c.crypt(out, tweak, x, true); err != nil {
		return nil, err
	}
	return out, nil
}

// Decrypt returns the decryption of the numeral string x under tweak, in a
// new slice.
func (c *Cipher) Decrypt(tweak []byte, x []uint16) ([]uint16, error) {
	out := make([]uint16, len(x))
	if err := c.crypt(out, tweak, x, false); err != nil {
		return nil, err
	}
	return out, nil
}

// EncryptTo writes the encryption of x under tweak to dst, which must have
// the length of x and may be x itself. It does not allocate once its pooled
// buffers have grown.
func (c *Cipher) EncryptTo(dst []uint16, tweak []byte, x []uint16) error {
	return c.crypt(dst, tweak, x, true)
}

// DecryptTo writes the decryption of x under tweak to dst, which must have
// the length of x and may be x itself.
func (c *Cipher) DecryptTo(dst []uint16, tweak []byte, x []uint16) error {
	return c.crypt(dst, tweak, x, false)
}

// crypt runs FF1.Encrypt (Algorithm 7) or FF1.Decrypt (Algorithm 8).
func (c *Cipher) crypt(dst []uint16, tweak []byte, x []uint16, enc bool) error {
	n, t := len(x), len(tweak)
	if n < c.minLen || n > MaxLen {
		return ErrLength
	}
	if t > MaxTweakLen {
		return ErrTweak
	}
	if len(dst) != n {
		return fmt.Errorf("ff1: output length %d, want %d", len(dst), n)
	}
	for _, d := range x {
		if int(d) >= c.radix {
			return ErrNumeral
		}
	}

	st := c.pool.Get().(*state)
	defer c.pool.Put(st)

	// Steps 1-4: split, and the byte lengths b of NUM(B) and d of S.
	u := n / 2
	v := n - u
	powU, okU := pow64(uint64(c.radix), u)
	powV, okV := pow64(uint64(c.radix), v)
	fast := okU && okV && !forceBig
	var b int
	if fast {
		b = (bits.Len64(powV-1) + 7) / 8
	} else {
		st.modU.Exp(st.tmp.SetInt64(int64(c.radix)), st.rem.SetInt64(int64(u)), nil)
		st.modV.Exp(st.tmp.SetInt64(int64(c.radix)), st.rem.SetInt64(int64(v)), nil)
		st.tmp.Sub(&st.modV, big.NewInt(1))
		b = (st.tmp.BitLen() + 7) / 8
	}
	d := 4*((b+3)/4) + 4

	// Step 5: P, then the CBC-MAC state after P and after the blocks of Q
	// that hold only the tweak and its padding, which no round changes.
	p := &st.p
	p[0], p[1], p[2] = 1, 2, 1
	p[3], p[4], p[5] = byte(c.radix>>16), byte(c.radix>>8), byte(c.radix)
	p[6], p[7] = 10, byte(u)
	binary.BigEndian.PutUint32(p[8:], uint32(n))
	binary.BigEndian.PutUint32(p[12:], uint32(t))

	pad := (16 - (t+b+1)%16) % 16
	qlen := t + pad + 1 + b
	st.q = grow(st.q, qlen)
	q := st.q[:qlen]
	copy(q, tweak)
	clear(q[t : t+pad])
	st.block = c.block
	c.block.Encrypt(st.prefix[:], p[:])
	fixed := (t + pad) / 16 * 16
	for j := 0; j < fixed; j += 16 {
		xor16(st.prefix[:], q[j:j+16])
		c.block.Encrypt(st.prefix[:], st.prefix[:])
	}
	st.tail = q[fixed:]
	st.iPos = t + pad - fixed
	numB := st.tail[st.iPos+1:]

	st.d = d
	sLen := (d + 15) / 16 * 16
	st.s = grow(st.s, sLen)

	if fast {
		c.crypt64(st, dst, x, u, powU, powV, numB, enc)
		return nil
	}
	c.cryptBig(st, dst, x, u, numB, enc)
	return nil
}

// round returns S[:d] for round i, the NUM of the half that enters the PRF
// being already written at the end of tail (steps 6.i to 6.iii).
func (st *state) round(i int) []byte {
	st.tail[st.iPos] = byte(i)
	r := st.s[:16]
	copy(r, st.prefix[:])
	for j := 0; j < len(st.tail); j += 16 {
		xor16(r, st.tail[j:j+16])
		st.block.Encrypt(r, r)
	}
	var ctr [16]byte
	for j := 1; j*16 < st.d; j++ {
		blk := st.s[16*j : 16*j+16]
		copy(blk, r)
		binary.BigEndian.PutUint64(ctr[8:], uint64(j))
		xor16(blk, ctr[:])
		st.block.Encrypt(blk, blk)
	}
	return st.s[:st.d]
}

// crypt64 runs the rounds with both halves in uint64.
func (c *Cipher) crypt64(st *state, dst, x []uint16, u int, powU, powV uint64,
	numB []byte, enc bool) {
	radix := uint64(c.radix)
	a, bb := num64(x[:u], radix), num64(x[u:], radix)
	for k := 0; k < rounds; k++ {
		i := k
		if !enc {
			i = rounds - 1 - k
		}
		mod := powU
		if i%2 == 1 {
			mod = powV
		}
		in := bb
		if !enc {
			in = a
		}
		putUint(numB, in)
		y := mod64(st.round(i), mod)
		if enc {
			sum, carry := bits.Add64(a, y, 0)
			if carry != 0 || sum >= mod {
				sum -= mod
			}
			a, bb = bb, sum
		} else {
			diff := bb - y
			if bb < y {
				diff = bb + (mod - y)
			}
			a, bb = diff, a
		}
	}
	str64(dst[:u], a, radix)
	str64(dst[u:], bb, radix)
}

// cryptBig runs the rounds with math/big.
func (c *Cipher) cryptBig(st *state, dst, x []uint16, u int, numB []byte, enc bool) {
	c.numBig(&st.a, &st.tmp, x[:u])
	c.numBig(&st.b, &st.tmp, x[u:])
	a, bb := &st.a, &st.b
	for k := 0; k < rounds; k++ {
		i := k
		if !enc {
			i = rounds - 1 - k
		}
		mod := &st.modU
		if i%2 == 1 {
			mod = &st.modV
		}
		in := bb
		if !enc {
			in = a
		}
		in.FillBytes(numB)
		st.y.SetBytes(st.round(i))
		if enc {
			a.Add(a, &st.y)
			a.Mod(a, mod)
			a, bb = bb, a
		} else {
			bb.Sub(bb, &st.y)
			bb.Mod(bb, mod)
			a, bb = bb, a
		}
	}
	c.strBig(dst[:u], a, &st.tmp, &st.rem)
	c.strBig(dst[u:], bb, &st.tmp, &st.rem)
}

// numBig sets z to NUM_radix(x), chunk numerals at a time.
func (c *Cipher) numBig(z, tmp *big.Int, x []uint16) {
	radix := uint64(c.radix)
	z.SetUint64(0)
	for len(x) > 0 {
		k := min(c.chunk, len(x))
		w, p := uint64(0), uint64(1)
		for _, d := range x[:k] {
			w = w*radix + uint64(d)
			p *= radix
		}
		z.Mul(z, tmp.SetUint64(p))
		z.Add(z, tmp.SetUint64(w))
		x = x[k:]
	}
}

// strBig writes STR_radix^len(out)(z) to out. z is destroyed.
func (c *Cipher) strBig(out []uint16, z, tmp, rem *big.Int) {
	radix := uint64(c.radix)
	for pos := len(out); pos > 0; {
		k := min(c.chunk, pos)
		p, _ := pow64(radix, k)
		z.QuoRem(z, tmp.SetUint64(p), rem)
		w := rem.Uint64()
		for j := 0; j < k; j++ {
			out[pos-1-j] = uint16(w % radix)
			w /= radix
		}
		pos -= k
	}
}

// pow64 returns r^e and whether it fits in a uint64.
func pow64(r uint64, e int) (uint64, bool) {
	p := uint64(1)
	for ; e > 0; e-- {
		hi, lo := bits.Mul64(p, r)
		if hi != 0 {
			return 0, false
		}
		p = lo
	}
	return p, true
}

// num64 returns NUM_radix(x), which the caller knows fits in a uint64.
func num64(x []uint16, radix uint64) uint64 {
	var z uint64
	for _, d := range x {
		z = z*radix + uint64(d)
	}
	return z
}

// str64 writes STR_radix^len(out)(z) to out.
func str64(out []uint16, z, radix uint64) {
	if radix&(radix-1) == 0 {
		shift, mask := uint(bits.TrailingZeros64(radix)), radix-1
		for i := len(out) - 1; i >= 0; i-- {
			out[i] = uint16(z & mask)
			z >>= shift
		}
		return
	}
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = uint16(z % radix)
		z /= radix
	}
}

// mod64 returns the big-endian number s modulo m.
func mod64(s []byte, m uint64) uint64 {
	var r uint64
	head := len(s) % 8
	if head > 0 {
		var w uint64
		for _, c := range s[:head] {
			w = w<<8 | uint64(c)
		}
		r = w % m
		s = s[head:]
	}
	for ; len(s) > 0; s = s[8:] {
		_, r = bits.Div64(r, binary.BigEndian.Uint64(s), m)
	}
	return r
}

// putUint writes z big-endian into all of dst, which is long enough.
func putUint(dst []byte, z uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte(z)
		z >>= 8
	}
}

func xor16(dst, src []byte) {
	a := binary.LittleEndian.Uint64(dst) ^ binary.LittleEndian.Uint64(src)
	b := binary.LittleEndian.Uint64(dst[8:]) ^ binary.LittleEndian.Uint64(src[8:])
	binary.LittleEndian.PutUint64(dst, a)
	binary.LittleEndian.PutUint64(dst[8:], b)
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

package main

import (
	"math"
	"math/bits"
	"slices"
)

// The leak check hashes every protected value of the original into a compact
// filter, then looks every output value (and pieces of output text) up in it.
// The filter may answer "maybe" for a value that was never added; the third
// pass confirms every candidate exactly, so false positives cost time, never
// a wrong answer.

// hashBase is the odd multiplier of the polynomial hash.
const hashBase = 0x9e3779b97f4a7c15

// polyHash is a polynomial hash of s, blind to ASCII case (a leaked email
// in capitals is still a leak); hashing a longer string can continue from the
// hash of its prefix, which makes the output's substrings cheap.
func polyHash(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = h*hashBase + uint64(foldByte(s[i])) + 1
	}
	return h
}

// foldByte lowers an ASCII capital letter.
func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldKey lowers the ASCII capitals of s, the key of a leak candidate.
func foldKey(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = foldByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// finish mixes the polynomial hash h of an n-byte string into the value the
// filter stores (the finalizer of SplitMix64).
func finish(h uint64, n int) uint64 {
	h ^= uint64(n) * 0xff51afd7ed558ccd
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// valueHash is the filter hash of a whole value.
func valueHash(s string) uint64 { return finish(polyHash(s), len(s)) }

// hashSet collects hashes exactly while they fit in its budget, then turns
// into a Bloom filter of that budget.
type hashSet struct {
	budget int64 // bytes
	exact  []uint64
	bloom  *bloom
	added  int64 // values added, duplicates included
}

func newHashSet(budget int64) *hashSet {
	if budget < 1<<12 {
		budget = 1 << 12
	}
	return &hashSet{budget: budget}
}

// add inserts h. The exact hashes use at most half the budget; when they
// would need more, duplicates are dropped, and if the distinct hashes still
// fill more than half of that, they move into a Bloom filter of the whole
// budget.
func (s *hashSet) add(h uint64) {
	s.added++
	if s.bloom != nil {
		s.bloom.add(h)
		return
	}
	if len(s.exact) == cap(s.exact) && int64(cap(s.exact))*16 > s.budget {
		slices.Sort(s.exact)
		s.exact = slices.Compact(s.exact)
		if len(s.exact) > cap(s.exact)/2 {
			s.bloom = newBloom(s.budget*8, int64(len(s.exact))*2)
			for _, x := range s.exact {
				s.bloom.add(x)
			}
			s.exact = nil
			s.bloom.add(h)
			return
		}
	}
	s.exact = append(s.exact, h)
}

// freeze returns the filter to look values up in: a Bloom filter sized for
// the distinct hashes collected (about 24 bits each), or the budget's.
func (s *hashSet) freeze() *bloom {
	if s.bloom != nil {
		return s.bloom
	}
	slices.Sort(s.exact)
	s.exact = slices.Compact(s.exact)
	n := int64(len(s.exact))
	m := min(max(n*24, 1<<10), s.budget*8)
	b := newBloom(m, n)
	for _, x := range s.exact {
		b.add(x)
	}
	s.exact = nil
	s.bloom = b
	return b
}

// bloom is a Bloom filter over 64-bit hashes with k probes derived by double
// hashing.
type bloom struct {
	words []uint64
	m     uint64 // bits
	k     int
	n     int64 // expected distinct values, for the false positive rate
}

// newBloom returns a filter of m bits (rounded up to a word) for about n
// values.
func newBloom(m, n int64) *bloom {
	words := (m + 63) / 64
	m = words * 64
	k := 1
	if n > 0 {
		k = int(math.Round(float64(m) / float64(n) * math.Ln2))
	}
	k = min(max(k, 1), 16)
	return &bloom{words: make([]uint64, words), m: uint64(m), k: k, n: n}
}

func (b *bloom) add(h uint64) {
	h2 := bits.RotateLeft64(h, 32) | 1
	for i := 0; i < b.k; i++ {
		hi, _ := bits.Mul64(h, b.m)
		b.words[hi/64] |= 1 << (hi % 64)
		h += h2
	}
}

// has reports whether h may have been added.
func (b *bloom) has(h uint64) bool {
	h2 := bits.RotateLeft64(h, 32) | 1
	for i := 0; i < b.k; i++ {
		hi, _ := bits.Mul64(h, b.m)
		if b.words[hi/64]&(1<<(hi%64)) == 0 {
			return false
		}
		h += h2
	}
	return true
}

// bytes is the filter's size.
func (b *bloom) bytes() int64 { return int64(len(b.words)) * 8 }

// falsePositiveRate estimates the chance that a value never added is a
// candidate, from the share of bits set.
func (b *bloom) falsePositiveRate() float64 {
	set := 0
	for _, w := range b.words {
		set += bits.OnesCount64(w)
	}
	return math.Pow(float64(set)/float64(b.m), float64(b.k))
}

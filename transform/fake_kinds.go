package transform

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// FakeKind names what a [Fake] generates; its values are the profile keywords.
type FakeKind string

// The kinds of fake values.
const (
	FakeFirstName     FakeKind = "first_name"
	FakeLastName      FakeKind = "last_name"
	FakeFullName      FakeKind = "full_name"
	FakeEmail         FakeKind = "email"
	FakePhone         FakeKind = "phone"
	FakeStreetAddress FakeKind = "street_address"
	FakeCity          FakeKind = "city"
	FakeZip           FakeKind = "zip"
	FakeCompany       FakeKind = "company"
	FakeUsername      FakeKind = "username"
	FakeDateOfBirth   FakeKind = "date_of_birth"
	FakeCreditCard    FakeKind = "credit_card"
	FakeIBAN          FakeKind = "iban"
	FakeIPv4          FakeKind = "ipv4"
	FakeUUID          FakeKind = "uuid"
)

// fakeGenerator appends one fake to dst. The worker's generator is already
// seeded from d, the keyed digest of the input in; a generator may also read
// d[16:] directly (the seed uses d[:16]).
type fakeGenerator func(w *Worker, d, in, dst []byte) []byte

// fakeKinds lists every kind in documentation order, with its generator.
var fakeKinds = []struct {
	kind FakeKind
	gen  fakeGenerator
}{
	{FakeFirstName, fakeFirstName},
	{FakeLastName, fakeLastName},
	{FakeFullName, fakeFullName},
	{FakeEmail, fakeEmail},
	{FakePhone, fakePhone},
	{FakeStreetAddress, fakeStreetAddress},
	{FakeCity, fakeCity},
	{FakeZip, fakeZip},
	{FakeCompany, fakeCompany},
	{FakeUsername, fakeUsername},
	{FakeDateOfBirth, fakeDateOfBirth},
	{FakeCreditCard, fakeCreditCard},
	{FakeIBAN, fakeIBAN},
	{FakeIPv4, fakeIPv4},
	{FakeUUID, fakeUUID},
}

// FakeKinds returns every kind, in documentation order.
func FakeKinds() []FakeKind {
	out := make([]FakeKind, len(fakeKinds))
	for i, k := range fakeKinds {
		out[i] = k.kind
	}
	return out
}

// fakeKindNames returns the kinds as strings, for the spec's enum.
func fakeKindNames() []string {
	out := make([]string, len(fakeKinds))
	for i, k := range fakeKinds {
		out[i] = string(k.kind)
	}
	return out
}

// fakeGeneratorOf returns the generator of kind, or nil.
func fakeGeneratorOf(kind FakeKind) fakeGenerator {
	for _, k := range fakeKinds {
		if k.kind == kind {
			return k.gen
		}
	}
	return nil
}

func fakeFirstName(w *Worker, _, _, dst []byte) []byte {
	return append(dst, firstName(w.Faker())...)
}

func fakeLastName(w *Worker, _, _, dst []byte) []byte {
	return append(dst, lastName(w.Faker())...)
}

func fakeFullName(w *Worker, _, _, dst []byte) []byte {
	f := w.Faker()
	dst = append(dst, firstName(f)...)
	dst = append(dst, ' ')
	return append(dst, lastName(f)...)
}

func fakeCity(w *Worker, _, _, dst []byte) []byte {
	return append(dst, w.Faker().City()...)
}

func fakeCompany(w *Worker, _, _, dst []byte) []byte {
	return append(dst, w.Faker().Company()...)
}

// fakeUsername writes a lowercase handle built from a fake first and last
// name, in one of six patterns: annasmith, anna.smith, anna_smith, anna1987,
// asmith or smith42.
func fakeUsername(w *Worker, _, _, dst []byte) []byte {
	r, f := w.Rand(), w.Faker()
	first, last := firstName(f), lastName(f)
	switch r.IntN(6) {
	case 0:
		dst = appendLowerLetters(dst, first)
		return appendLowerLetters(dst, last)
	case 1:
		dst = appendLowerLetters(dst, first)
		dst = append(dst, '.')
		return appendLowerLetters(dst, last)
	case 2:
		dst = appendLowerLetters(dst, first)
		dst = append(dst, '_')
		return appendLowerLetters(dst, last)
	case 3:
		dst = appendLowerLetters(dst, first)
		return appendRandDigits(w, dst, 2+r.IntN(3))
	case 4:
		// The initial: appendLowerLetters always writes at least one letter.
		n := len(dst)
		dst = appendLowerLetters(dst, first)[:n+1]
		return appendLowerLetters(dst, last)
	default:
		dst = appendLowerLetters(dst, last)
		return appendRandDigits(w, dst, 2)
	}
}

// emailDomains are reserved for documentation (RFC 2606): mail to them never
// reaches a person.
var emailDomains = [...]string{"example.com", "example.org", "example.net"}

// fakeEmail writes first.last.NNNNNNNN@example.xxx: a fake first and last
// name, lowercase ASCII, 8 digits and the domain taken from the digest. The
// digits make two inputs sharing a fake very unlikely (about 2.4e14 emails).
func fakeEmail(w *Worker, d, _, dst []byte) []byte {
	f := w.Faker()
	dst = appendLowerLetters(dst, firstName(f))
	dst = append(dst, '.')
	dst = appendLowerLetters(dst, lastName(f))
	dst = append(dst, '.')
	dst = appendDigits(dst, binary.LittleEndian.Uint64(d[16:24])%100_000_000, 8)
	dst = append(dst, '@')
	return append(dst, emailDomains[int(d[24])%len(emailDomains)]...)
}

// appendLowerLetters appends the ASCII letters of s in lowercase, or "user"
// when s has none.
func appendLowerLetters(dst []byte, s string) []byte {
	n := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			dst = append(dst, c)
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		}
	}
	if len(dst) == n {
		dst = append(dst, "user"...)
	}
	return dst
}

// appendDigits appends v as exactly width decimal digits, zero-padded.
func appendDigits(dst []byte, v uint64, width int) []byte {
	var buf [20]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[:width]...)
}

// appendRandDigits appends n uniformly drawn decimal digits.
func appendRandDigits(w *Worker, dst []byte, n int) []byte {
	r := w.Rand()
	for i := 0; i < n; i++ {
		dst = append(dst, byte('0'+r.IntN(10)))
	}
	return dst
}

// fakePhone writes +1-NXX-555-01XX: a North American area code (first digit
// 2-9, not N11) and a line in 555-0100..0199, the block reserved for fiction.
func fakePhone(w *Worker, _, _, dst []byte) []byte {
	r := w.Rand()
	a := byte('2' + r.IntN(8))
	b, c := byte('0'+r.IntN(10)), byte('0'+r.IntN(10))
	if b == '1' && c == '1' {
		c = '0'
	}
	dst = append(dst, "+1-"...)
	dst = append(dst, a, b, c)
	dst = append(dst, "-555-01"...)
	return appendRandDigits(w, dst, 2)
}

// fakeStreetAddress writes "<number> [<prefix> ]<name><suffix>" from the
// gofakeit street word lists, like "4821 North Ashfordton".
func fakeStreetAddress(w *Worker, _, _, dst []byte) []byte {
	r, f := w.Rand(), w.Faker()
	dst = strconv.AppendInt(dst, int64(1+r.IntN(9999)), 10)
	dst = append(dst, ' ')
	if r.IntN(2) == 0 {
		dst = append(dst, f.StreetPrefix()...)
		dst = append(dst, ' ')
	}
	dst = append(dst, f.StreetName()...)
	return append(dst, f.StreetSuffix()...)
}

// fakeZip writes 5 digits; a leading zero is possible, as in real ZIP codes.
func fakeZip(w *Worker, _, _, dst []byte) []byte {
	return appendRandDigits(w, dst, 5)
}

// docNets are the IPv4 documentation ranges (RFC 5737), never routed.
var docNets = [...]string{"192.0.2.", "198.51.100.", "203.0.113."}

// fakeIPv4 writes a host address from a documentation range.
func fakeIPv4(w *Worker, _, _, dst []byte) []byte {
	r := w.Rand()
	dst = append(dst, docNets[r.IntN(len(docNets))]...)
	return strconv.AppendInt(dst, int64(1+r.IntN(254)), 10)
}

// fakeUUID writes a version 4 (random) UUID made of digest bytes 16 to 31,
// with the version and variant bits set.
func fakeUUID(_ *Worker, d, _, dst []byte) []byte {
	var u [16]byte
	copy(u[:], d[16:32])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80

	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return append(dst, buf[:]...)
}

package transform

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/detect"
)

// scrubDefaultKinds are the span kinds scrub replaces unless told otherwise:
// the direct identifiers and dates of birth.
var scrubDefaultKinds = []string{
	"email", "phone", "person_name", "street_address", "date_of_birth", "national_id",
	"credit_card", "iban", "ipv4", "ipv6", "mac",
}

// scrubKindNames are the kinds a scrub may be told to replace.
var scrubKindNames = append(append([]string(nil), scrubDefaultKinds...), "uuid", "url")

var scrubSpec = &Spec{
	Name:    "scrub",
	Summary: "find personal data inside free text and replace each piece",
	Doc: "For text such as notes, support tickets and log lines. Each value is searched " +
		"for emails, phone numbers, names (a title such as Mr or Dr before a " +
		"capitalised word, or a known first name followed by a known last name), street " +
		"addresses, dates of birth (a date after born, DOB...), US SSNs, card numbers " +
		"(Luhn-checked), IBANs (mod 97), IPv4 and IPv6 addresses and MAC addresses; with " +
		"`kinds` also UUIDs and URLs. Candidates are validated, not only matched: a bare " +
		"number is a phone or SSN only next to a word that says so. With replace: fake, " +
		"each piece becomes a fake of the same kind, keyed like fake (the same piece " +
		"gets the same fake in every row and file, and never itself): fake emails at " +
		"example.com, fictional 555-01XX phones, SSNs in the never-issued area 666, " +
		"IPs and MACs in documentation ranges. With replace: tag, each piece becomes a " +
		"tag such as <EMAIL> or <PHONE>. The rest of the text is kept byte for byte. " +
		"Detection is heuristic: names without a title or outside the name lists, and " +
		"unusual formats, are missed, so review the output of anon scan. Needs the " +
		"secret key even with tags. Nulls stay null; the output is text.",
	Keyed: true,
	Params: []Param{
		{Name: "replace", Type: ParamEnum, Default: "fake", Enum: []string{"fake", "tag"},
			Doc: "fake replaces each piece with a consistent fake; tag with <KIND>"},
		{Name: "kinds", Type: ParamStrings,
			Doc: "the kinds to replace (default: every kind but uuid and url); " +
				strings.Join(scrubKindNames, ", ")},
		{Name: "namespace", Type: ParamString, Default: "scrub",
			Doc: "pieces share fakes across columns with the same namespace"},
	},
	Example: "notes: {strategy: scrub, replace: tag}",
	New:     newScrubFromOptions,
}

func newScrubFromOptions(o Options) (Strategy, error) {
	ns := o.String("namespace")
	if ns == "" {
		return nil, paramErrorf("namespace", "must not be empty")
	}
	kinds := scrubDefaultKinds
	if o.Has("kinds") {
		kinds = o.Strings("kinds")
	}
	return NewScrub(o.String("replace") == "tag", kinds, ns)
}

// Scrub replaces the personal data found inside text values. Build it with
// [NewScrub].
type Scrub struct {
	tag       bool
	namespace string
	kinds     map[detect.Kind]bool
	fakes     map[detect.Kind]*Fake
}

// scrubFakeKinds maps span kinds to the fake kinds that replace them.
var scrubFakeKinds = map[detect.Kind]FakeKind{
	detect.Email: FakeEmail, detect.Phone: FakePhone, detect.PersonName: FakeFullName,
	detect.StreetAddress: FakeStreetAddress, detect.City: FakeCity, detect.Zip: FakeZip,
	detect.DateOfBirth: FakeDateOfBirth, detect.CreditCard: FakeCreditCard,
	detect.IBAN: FakeIBAN, detect.IPv4: FakeIPv4, detect.UUID: FakeUUID,
}

// NewScrub returns a Scrub replacing spans of the given kinds with tags or
// with fakes keyed by namespace. An unknown kind is a [*ParamError].
func NewScrub(tag bool, kinds []string, namespace string) (*Scrub, error) {
	s := &Scrub{tag: tag, namespace: namespace, kinds: map[detect.Kind]bool{},
		fakes: map[detect.Kind]*Fake{}}
	for _, k := range kinds {
		if !contains(scrubKindNames, k) {
			return nil, paramErrorf("kinds", "unknown kind %q (want some of %s)", k,
				strings.Join(scrubKindNames, ", "))
		}
		s.kinds[detect.Kind(k)] = true
	}
	for dk, fk := range scrubFakeKinds {
		f, err := NewFake(fk, namespace+"/"+string(dk))
		if err != nil {
			return nil, err
		}
		s.fakes[dk] = f
	}
	s.fakes["first_or_last"], _ = NewFake(FakeLastName, namespace+"/person_name")
	return s, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// OutputType implements [Strategy]: text; nested types are refused.
func (s *Scrub) OutputType(in arrow.DataType) (arrow.DataType, error) {
	return textStrategyOutputType(in)
}

// Apply implements [Strategy]. Without a secret key it returns an error
// wrapping [ErrNoSecret].
func (s *Scrub) Apply(w *Worker, in Input) (arrow.Array, error) {
	if !w.keyed {
		return nil, fmt.Errorf("column %q: scrub needs a secret key: %w", in.Name(), ErrNoSecret)
	}
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		return s.AppendScrubbed(w, dst, v)
	})
}

// AppendScrubbed appends v with its personal data replaced to dst.
func (s *Scrub) AppendScrubbed(w *Worker, dst, v []byte) ([]byte, error) {
	// The scanner returns offsets only, so it may read v in place; its
	// spans stay valid until the worker's next Find.
	spans := w.spans.Find(unsafeString(v))
	at := 0
	for _, sp := range spans {
		if !s.kinds[sp.Kind] {
			continue
		}
		dst = append(dst, v[at:sp.Start]...)
		var err error
		dst, err = s.appendReplacement(w, dst, sp.Kind, v[sp.Start:sp.End])
		if err != nil {
			return dst, err
		}
		at = sp.End
	}
	return append(dst, v[at:]...), nil
}

// appendReplacement appends the tag or the fake of one span.
func (s *Scrub) appendReplacement(w *Worker, dst []byte, k detect.Kind,
	span []byte) ([]byte, error) {
	if s.tag {
		dst = append(dst, '<')
		dst = append(dst, strings.ToUpper(string(k))...)
		return append(dst, '>'), nil
	}
	if k == detect.PersonName && !strings.Contains(string(span), " ") {
		return s.fakes["first_or_last"].AppendFake(w, dst, span)
	}
	if f := s.fakes[k]; f != nil {
		return f.AppendFake(w, dst, span)
	}
	d, err := w.Digest("scrub", s.namespace+"/"+string(k), span)
	if err != nil {
		return dst, err
	}
	switch k {
	case detect.NationalID:
		return appendFakeSSN(dst, d, span), nil
	case detect.IPv6:
		dst = append(dst, "2001:db8::"...)
		return hex.AppendEncode(dst, d[:2]), nil
	case detect.MAC:
		return appendFakeMAC(dst, d, span), nil
	case detect.URL:
		dst = append(dst, "https://example.com/"...)
		return hex.AppendEncode(dst, d[:6]), nil
	}
	return append(dst, strings.ToUpper("<"+string(k)+">")...), nil
}

// appendFakeSSN writes 666-GG-SSSS (area 666 is never issued), without
// dashes when the input has none.
func appendFakeSSN(dst, d, in []byte) []byte {
	n := binary.LittleEndian.Uint32(d[:4])
	g, ser := 1+n%99, 1+(n/99)%9999
	if strings.Contains(string(in), "-") {
		return fmt.Appendf(dst, "666-%02d-%04d", g, ser)
	}
	return fmt.Appendf(dst, "666%02d%04d", g, ser)
}

// appendFakeMAC writes a MAC address in the documentation block
// 00-00-5E-00-53-xx (RFC 7042), with the input's separator.
func appendFakeMAC(dst, d, in []byte) []byte {
	sep := byte(':')
	if strings.Contains(string(in), "-") {
		sep = '-'
	}
	for i, p := range []string{"00", "00", "5e", "00", "53"} {
		if i > 0 {
			dst = append(dst, sep)
		}
		dst = append(dst, p...)
	}
	dst = append(dst, sep)
	return hex.AppendEncode(dst, d[:1])
}

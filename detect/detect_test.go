package detect

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestValueKinds(t *testing.T) {
	for v, want := range map[string]Kind{
		"jane.doe@example.org":                 Email,
		"+1 415-555-2671":                      Phone,
		"(415) 555-2671":                       Phone,
		"4111 1111 1111 1111":                  CreditCard,
		"DE89 3704 0044 0532 0130 00":          IBAN,
		"123-45-6789":                          NationalID,
		"203.0.113.7":                          IPv4,
		"2001:db8::1":                          IPv6,
		"00:1A:2B:3C:4D:5E":                    MAC,
		"110bcd25-a55d-453a-8046-1297901ea002": UUID,
		"https://example.com/a?b=c":            URL,
		"12 Main Street":                       StreetAddress,
		"Maria Garcia":                         PersonName,
	} {
		if got := ValueKinds(v); len(got) == 0 || got[0] != want {
			t.Errorf("%q: got %v, want %s first", v, got, want)
		}
	}
	for _, v := range []string{"4111 1111 1111 1112", "DE89 3704 0044 0532 0130 01",
		"666-45-6789", "000-12-3456", "123-00-4567", "1234567890123456", "42", "1.2.3",
		"256.1.1.1", "12:30:45", "ok", "2024-03-01", "ftp:/nohost", "19.99"} {
		for _, k := range ValueKinds(v) {
			if k != PersonName || v != "ok" {
				t.Errorf("%q: unexpected kind %s", v, k)
			}
		}
	}
}

func TestNameHint(t *testing.T) {
	for name, want := range map[string]Kind{
		"e_mail": Email, "EmailAddress": Email, "email_address": Email, "telefono": Phone,
		"tel": Phone, "dob": DateOfBirth, "fecha_nacimiento": DateOfBirth, "ssn": NationalID,
		"cc_number": CreditCard, "ip": IPv4, "ip_address": IPv4, "home_address": StreetAddress,
		"first_name": PersonName, "company_name": None, "username": None, "hotel": None,
		"postal_code": Zip, "city": City, "mac_address": MAC, "id": None,
	} {
		if got := NameHint(name); got != want {
			t.Errorf("%q: got %s, want %s", name, got, want)
		}
	}
}

func TestFindSpans(t *testing.T) {
	text := "Mail jane@example.org or call +44 20 7946 0958; SSN 123-45-6789, " +
		"card 4111-1111-1111-1111, id 110bcd25-a55d-453a-8046-1297901ea002, order 5551234567."
	var kinds []Kind
	for _, s := range FindSpans(text) {
		kinds = append(kinds, s.Kind)
	}
	want := []Kind{Email, Phone, NationalID, CreditCard, UUID}
	if !slices.Equal(kinds, want) {
		t.Errorf("got %v, want %v", kinds, want)
	}
	if s := FindSpans("Dear Mr. Hughes, thanks"); len(s) != 1 || s[0].Kind != PersonName {
		t.Errorf("title name: %v", s)
	}
	if s := FindSpans("version 1.2.3.4.5 at 12:30:45 on 2024-01-02"); len(s) != 0 {
		t.Errorf("false spans: %v", s)
	}
}

// TestProfilerMergeAndSketch checks that profiling in two parts and merging
// gives the same report as one pass, and that distinct counting is bounded.
func TestProfilerMergeAndSketch(t *testing.T) {
	mem := memory.NewGoAllocator()
	batch := func(from, to int) arrow.RecordBatch {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for i := from; i < to; i++ {
			b.Append(valueOfIndex(i))
		}
		arr := b.NewArray()
		defer arr.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: "contact", Type: arr.DataType()}}, nil)
		return array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	}
	whole, a, b := NewProfiler([]string{"contact"}), NewProfiler([]string{"contact"}),
		NewProfiler([]string{"contact"})
	all, p1, p2 := batch(0, 20000), batch(0, 9000), batch(9000, 20000)
	defer all.Release()
	defer p1.Release()
	defer p2.Release()
	whole.Add(all)
	a.Add(p1)
	b.Add(p2)
	a.Merge(b)
	w, m := whole.Reports()[0], a.Reports()[0]
	if w != m {
		t.Errorf("merged %+v\nwhole  %+v", m, w)
	}
	if w.Kind != Email || w.Rows != 20000 || w.DistinctShare < 0.9 || w.DistinctShare > 1 {
		t.Errorf("report %+v", w)
	}
	if len(a.cols[0].distinct.seen) > sketchSize {
		t.Error("sketch not bounded")
	}
}

// valueOfIndex is a distinct email per index.
func valueOfIndex(i int) string {
	return "user" + string(rune('a'+i%26)) + itoa(i) + "@example.com"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestPhoneColumnWithoutCountryCode: a column named phone holding national
// numbers of several countries, written without a country code, is a phone
// column (not left as "no personal data").
func TestPhoneColumnWithoutCountryCode(t *testing.T) {
	values := []string{"84 23 30", "21 259 903 5696", "030 12345678", "06-12345678",
		"(02) 9876 5432", "0471 12 34 56", "612 345 678", "89 123 456"}
	for _, name := range []string{"phone", "TelephoneNumber"} {
		p := NewProfiler([]string{name})
		for _, v := range values {
			p.AddValue(0, v, false)
		}
		r := p.Reports()[0]
		if r.Kind != Phone || !r.Direct {
			t.Errorf("column %s: kind %s, direct %v; want a direct phone column", name, r.Kind,
				r.Direct)
		}
	}

	// Without the name, the same shapes are not enough.
	p := NewProfiler([]string{"code"})
	for _, v := range values {
		p.AddValue(0, v, false)
	}
	if k := p.Reports()[0].Kind; k == Phone {
		t.Errorf("column code: kind %s without a name hint", k)
	}
}

package detect_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
)

// genRows is the number of rows of each generated column.
const genRows = 400

// genColumn is a generated, labelled column.
type genColumn struct {
	name string
	want string // expected kind
	gen  func(f *gofakeit.Faker, r *rand.Rand, i int) string
}

// generated lists the generated columns: positives of every kind under
// several names and languages, and negatives that trip naive detectors.
func generated() []genColumn {
	return []genColumn{
		{"contact_email", "email", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Email()
		}},
		{"e_mail", "email", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return strings.ToUpper(f.Email())
		}},
		{"phone", "phone", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.PhoneFormatted()
		}},
		{"telefono", "phone", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Phone()
		}},
		{"customer", "person_name", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.FirstName() + " " + f.LastName()
		}},
		{"nombre", "person_name", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.FirstName()
		}},
		{"street_address", "street_address", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Street()
		}},
		{"ship_to", "street_address", func(f *gofakeit.Faker, r *rand.Rand, _ int) string {
			return strconv.Itoa(1+r.IntN(999)) + " " + f.LastName() + " " +
				[]string{"Street", "Avenue", "Road", "Lane", "Blvd"}[r.IntN(5)]
		}},
		{"city", "city", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.City()
		}},
		{"postal_code", "zip", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Zip()
		}},
		{"dob", "date_of_birth", func(f *gofakeit.Faker, r *rand.Rand, _ int) string {
			return f.DateRange(date(1940), date(2005)).Format("2006-01-02")
		}},
		{"fecha_nacimiento", "date_of_birth", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.DateRange(date(1930), date(2010)).Format("02.01.2006")
		}},
		{"ssn", "national_id", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("%03d%02d%04d", 1+r.IntN(665), 1+r.IntN(98), 1+r.IntN(9998))
		}},
		{"tax_ref", "national_id", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("%03d-%02d-%04d", 1+r.IntN(665), 1+r.IntN(98), 1+r.IntN(9998))
		}},
		{"cc_number", "credit_card", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.CreditCardNumber(nil)
		}},
		{"payment", "credit_card", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.CreditCardNumber(&gofakeit.CreditCardOptions{Gaps: true})
		}},
		{"account", "iban", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return makeIBAN(r)
		}},
		{"client", "ipv4", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.IPv4Address()
		}},
		{"ip", "ipv6", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.IPv6Address()
		}},
		{"device", "mac", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.MacAddress()
		}},
		{"request_id", "uuid", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.UUID()
		}},
		{"homepage", "url", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.URL()
		}},
		{"ticket_body", "free_text_pii", func(f *gofakeit.Faker, r *rand.Rand, _ int) string {
			s := f.Sentence(8)
			switch r.IntN(4) {
			case 0:
				return s + " Reach me at " + f.Email() + "."
			case 1:
				return "Please call " + f.PhoneFormatted() + " after 5pm. " + s
			}
			return s
		}},
		// Negatives.
		{"id", "none", func(_ *gofakeit.Faker, _ *rand.Rand, i int) string {
			return strconv.Itoa(i + 1)
		}},
		{"order_number", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("%016d", r.Int64N(1e16))
		}},
		{"invoice", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return strconv.Itoa(100000000 + r.IntN(899999999))
		}},
		{"amount", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return strconv.FormatFloat(r.Float64()*1000, 'f', 2, 64)
		}},
		{"created_at", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.DateRange(date(2015), date(2024)).Format("2006-01-02T15:04:05Z")
		}},
		{"note", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Sentence(10)
		}},
		{"status", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return []string{"ok", "failed", "pending"}[r.IntN(3)]
		}},
		{"product_name", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.ProductName()
		}},
		{"company", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Company()
		}},
		{"sku", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("SKU-%05d-%c", r.IntN(99999), 'A'+r.IntN(26))
		}},
		{"checksum", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return strings.ReplaceAll(f.UUID(), "-", "")
		}},
		{"duration_ms", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return strconv.Itoa(r.IntN(10_000_000))
		}},
		{"card_type", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.CreditCardType()
		}},
		{"email_verified", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return strconv.FormatBool(f.Bool())
		}},
		{"latitude", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return strconv.FormatFloat(f.Latitude(), 'f', 6, 64)
		}},
		{"user_agent", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.UserAgent()
		}},
		{"version", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("%d.%d.%d", r.IntN(5), r.IntN(20), r.IntN(100))
		}},
		{"ean", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("40%011d", r.Int64N(1e11))
		}},
		{"quantity", "none", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return strconv.Itoa(r.IntN(50))
		}},
		{"country_code", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.CountryAbr()
		}},
		{"mobile", "phone", func(_ *gofakeit.Faker, r *rand.Rand, _ int) string {
			return fmt.Sprintf("+44 7%03d %06d", 100+r.IntN(800), r.IntN(1e6))
		}},
		{"apellido", "person_name", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.LastName()
		}},
		{"correo", "email", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.Email()
		}},
		{"job_title", "none", func(f *gofakeit.Faker, _ *rand.Rand, _ int) string {
			return f.JobTitle()
		}},
	}
}

// makeIBAN builds a German IBAN with valid check digits.
func makeIBAN(r *rand.Rand) string {
	bban := fmt.Sprintf("%08d%010d", r.IntN(1e8), r.Int64N(1e10))
	// Check digits: 98 - (BBAN + "DE00" as digits) mod 97.
	m := 0
	for _, c := range bban + "131400" {
		m = (m*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("DE%02d%s", 98-m, bban)
}

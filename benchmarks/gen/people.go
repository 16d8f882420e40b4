package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/brianvoe/gofakeit/v7"

	"github.com/anon-data/anon/formats"
)

// batchRows is the number of rows per Parquet batch.
const batchRows = 64 * 1024

// columns are the table's columns, in order.
var columns = []string{"id", "first_name", "last_name", "email", "phone", "ssn",
	"birth_date", "zip", "city", "salary", "signup", "note", "category"}

// parquetSchema types the Parquet copy; the CSV and NDJSON copies carry the
// same values as text and JSON.
var parquetSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "first_name", Type: arrow.BinaryTypes.String},
	{Name: "last_name", Type: arrow.BinaryTypes.String},
	{Name: "email", Type: arrow.BinaryTypes.String},
	{Name: "phone", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ssn", Type: arrow.BinaryTypes.String},
	{Name: "birth_date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "zip", Type: arrow.BinaryTypes.String},
	{Name: "city", Type: arrow.BinaryTypes.String},
	{Name: "salary", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "signup", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "category", Type: arrow.BinaryTypes.String},
}, nil)

var (
	categories = []string{"retail", "wholesale", "online", "partner", "staff", "trial",
		"enterprise", "education"}
	domains  = []string{"gmail.com", "yahoo.com", "outlook.com", "proton.me", "corp.example"}
	epoch    = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	birthMin = time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	birthMax = time.Date(2006, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	signMin  = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	signMax  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// person is one generated row.
type person struct {
	id                   int64
	first, last, email   string
	phone                string // "" is null
	ssn                  string
	birth                time.Time
	zip, city            string
	salary               float64
	hasSalary            bool
	signup               time.Time
	note                 string
	hasNote              bool
	category             string
	birthText, signupTxt string
}

// generator makes people from one seeded source.
type generator struct {
	r  *rand.Rand
	f  *gofakeit.Faker
	id int64
}

func newGenerator(seed uint64) *generator {
	pcg := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &generator{r: rand.New(pcg), f: gofakeit.NewFaker(pcg, false)}
}

func (g *generator) next(p *person) {
	r := g.r
	g.id++
	p.id = g.id
	p.first, p.last = g.f.FirstName(), g.f.LastName()
	p.email = fmt.Sprintf("%s.%s%d@%s", lower(p.first), lower(p.last), r.IntN(10000),
		domains[r.IntN(len(domains))])
	p.phone = ""
	if r.IntN(50) != 0 {
		p.phone = g.phone()
	}
	p.ssn = fmt.Sprintf("%03d-%02d-%04d", 1+r.IntN(899), 1+r.IntN(99), 1+r.IntN(9999))
	p.birth = time.Unix(birthMin+r.Int64N(birthMax-birthMin), 0).UTC().Truncate(24 * time.Hour)
	p.birthText = p.birth.Format(time.DateOnly)
	p.zip = fmt.Sprintf("%05d", r.IntN(100000))
	p.city = g.f.City()
	p.hasSalary = r.IntN(100) != 0
	p.salary = float64(2_000_000+r.IntN(18_000_000)) / 100
	p.signup = time.Unix(signMin+r.Int64N(signMax-signMin), 0).UTC()
	p.signupTxt = p.signup.Format(time.RFC3339)
	p.hasNote = r.IntN(10) != 0
	p.note = ""
	if p.hasNote {
		p.note = g.note(p)
	}
	p.category = categories[r.IntN(len(categories))]
}

func (g *generator) phone() string {
	r := g.r
	a, b, c := 201+r.IntN(798), 200+r.IntN(799), r.IntN(10000)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("(%d) %d-%04d", a, b, c)
	case 1:
		return fmt.Sprintf("+1-%d-%d-%04d", a, b, c)
	}
	return fmt.Sprintf("%d.%d.%04d", a, b, c)
}

// note writes a short free text: commas, quotes, and now and then an email,
// a phone number or an embedded newline.
func (g *generator) note(p *person) string {
	r, f := g.r, g.f
	s := fmt.Sprintf("%s %s %s, %s", f.Adjective(), f.Noun(), f.Verb(), f.Noun())
	switch r.IntN(10) {
	case 0:
		s += ", contact " + p.email
	case 1:
		s += "; call " + g.phone()
	case 2, 3:
		s = fmt.Sprintf(`said "%s", then %s`, s, f.Verb())
	}
	if r.IntN(1000) == 0 {
		s += "\nsecond line"
	}
	return s
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// generate writes people.csv, people.ndjson and people.parquet to dir.
func generate(dir string, rows int, seed uint64) error {
	if rows < 0 {
		return fmt.Errorf("rows must not be negative, got %d", rows)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	w, err := newWriters(dir)
	if err != nil {
		return err
	}
	defer w.abort()

	g := newGenerator(seed)
	var p person
	for i := 0; i < rows; i++ {
		g.next(&p)
		if err := w.add(&p); err != nil {
			return err
		}
	}
	return w.close()
}

// writers write the three copies at once.
type writers struct {
	files    []*os.File
	csvBuf   *bufio.Writer
	csv      *csv.Writer
	json     *bufio.Writer
	line     []byte
	record   []string
	pq       formats.Writer
	builders *array.RecordBuilder
	n        int
}

func newWriters(dir string) (*writers, error) {
	w := &writers{record: make([]string, len(columns))}
	open := func(name string) (*os.File, error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		w.files = append(w.files, f)
		return f, nil
	}
	fc, err := open("people.csv")
	if err != nil {
		return nil, err
	}
	fj, err := open("people.ndjson")
	if err != nil {
		w.abort()
		return nil, err
	}
	fp, err := open("people.parquet")
	if err != nil {
		w.abort()
		return nil, err
	}
	w.csvBuf = bufio.NewWriterSize(fc, 1<<20)
	w.csv = csv.NewWriter(w.csvBuf)
	if err := w.csv.Write(columns); err != nil {
		w.abort()
		return nil, fmt.Errorf("write people.csv: %w", err)
	}
	w.json = bufio.NewWriterSize(fj, 1<<20)
	w.pq, err = formats.NewWriter(fp, parquetSchema, formats.WriteOptions{
		Format: formats.Parquet, Name: "people.parquet"})
	if err != nil {
		w.abort()
		return nil, err
	}
	w.builders = array.NewRecordBuilder(memory.DefaultAllocator, parquetSchema)
	return w, nil
}

func (w *writers) add(p *person) error {
	// CSV: an empty field is a null.
	rec := w.record
	rec[0] = strconv.FormatInt(p.id, 10)
	rec[1], rec[2], rec[3], rec[4], rec[5] = p.first, p.last, p.email, p.phone, p.ssn
	rec[6], rec[7], rec[8] = p.birthText, p.zip, p.city
	rec[9] = ""
	if p.hasSalary {
		rec[9] = strconv.FormatFloat(p.salary, 'f', 2, 64)
	}
	rec[10], rec[11], rec[12] = p.signupTxt, p.note, p.category
	if err := w.csv.Write(rec); err != nil {
		return fmt.Errorf("write people.csv: %w", err)
	}

	// NDJSON, keys in column order.
	b := append(w.line[:0], `{"id":`...)
	b = strconv.AppendInt(b, p.id, 10)
	for i := 1; i <= 11; i++ {
		b = append(b, ',', '"')
		b = append(b, columns[i]...)
		b = append(b, '"', ':')
		switch {
		case i == 4 && p.phone == "", i == 9 && !p.hasSalary, i == 11 && !p.hasNote:
			b = append(b, "null"...)
		case i == 9:
			b = strconv.AppendFloat(b, p.salary, 'f', 2, 64)
		default:
			b = appendJSONString(b, rec[i])
		}
	}
	b = append(b, `,"category":`...)
	b = appendJSONString(b, p.category)
	b = append(b, '}', '\n')
	w.line = b
	if _, err := w.json.Write(b); err != nil {
		return fmt.Errorf("write people.ndjson: %w", err)
	}

	// Parquet, typed.
	rb := w.builders
	rb.Field(0).(*array.Int64Builder).Append(p.id)
	for i, s := range []string{p.first, p.last, p.email} {
		rb.Field(1 + i).(*array.StringBuilder).Append(s)
	}
	appendNullable(rb.Field(4).(*array.StringBuilder), p.phone, p.phone != "")
	rb.Field(5).(*array.StringBuilder).Append(p.ssn)
	rb.Field(6).(*array.Date32Builder).Append(
		arrow.Date32(p.birth.Sub(epoch).Hours() / 24))
	rb.Field(7).(*array.StringBuilder).Append(p.zip)
	rb.Field(8).(*array.StringBuilder).Append(p.city)
	if fb := rb.Field(9).(*array.Float64Builder); p.hasSalary {
		fb.Append(p.salary)
	} else {
		fb.AppendNull()
	}
	rb.Field(10).(*array.TimestampBuilder).Append(arrow.Timestamp(p.signup.UnixMicro()))
	appendNullable(rb.Field(11).(*array.StringBuilder), p.note, p.hasNote)
	rb.Field(12).(*array.StringBuilder).Append(p.category)
	w.n++
	if w.n == batchRows {
		return w.flushParquet()
	}
	return nil
}

func appendNullable(b *array.StringBuilder, s string, valid bool) {
	if valid {
		b.Append(s)
	} else {
		b.AppendNull()
	}
}

func (w *writers) flushParquet() error {
	if w.n == 0 {
		return nil
	}
	rec := w.builders.NewRecordBatch()
	defer rec.Release()
	w.n = 0
	if err := w.pq.Write(rec); err != nil {
		return fmt.Errorf("write people.parquet: %w", err)
	}
	return nil
}

func (w *writers) close() error {
	if err := w.flushParquet(); err != nil {
		return err
	}
	if err := w.pq.Close(); err != nil {
		return fmt.Errorf("close people.parquet: %w", err)
	}
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return fmt.Errorf("write people.csv: %w", err)
	}
	if err := w.json.Flush(); err != nil {
		return fmt.Errorf("write people.ndjson: %w", err)
	}
	w.builders.Release()
	for _, f := range w.files {
		if err := f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", f.Name(), err)
		}
	}
	w.files = nil
	return nil
}

// abort closes every file still open (after an error).
func (w *writers) abort() {
	for _, f := range w.files {
		f.Close()
	}
	w.files = nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

package profiles

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/anon-data/anon/transform"
)

// textColumn returns a one-column batch of text values.
func textColumn(name string, values []string) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{{Name: name, Type: arrow.BinaryTypes.String,
		Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	sb := b.Field(0).(*array.StringBuilder)
	for _, v := range values {
		sb.Append(v)
	}
	return b.NewRecordBatch()
}

// float64Column returns a one-column batch of numbers.
func float64Column(name string, values []float64) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{{Name: name, Type: arrow.PrimitiveTypes.Float64}},
		nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Float64Builder).AppendValues(values, nil)
	return b.NewRecordBatch()
}

func TestGuardrails(t *testing.T) {
	// 200 values 0..199: standard deviation about 58, IQR about 100.
	spread := make([]float64, 200)
	for i := range spread {
		spread[i] = float64(i) * 100
	}
	tests := []struct {
		name   string
		src    string
		sample arrow.RecordBatch
		want   []string // substrings of the single warning; nil for none
	}{
		{name: "mask keeps 4", src: "version: 1\ncolumns:\n  card:\n    strategy: mask\n" +
			"    keep_first: 2\n    keep_last: 2\n",
			want: []string{"p.yaml:5: columns.card.keep_first:", "4 letters and digits"}},
		{name: "mask keeps last 4", src: "version: 1\ncolumns:\n" +
			"  card: {strategy: mask, keep_last: 4}\n",
			want: []string{"p.yaml:3: columns.card.keep_last:"}},
		{name: "mask keeps 3", src: "version: 1\ncolumns:\n" +
			"  card: {strategy: mask, keep_last: 3}\n"},
		{name: "mask keeps most of short values",
			src:    "version: 1\ncolumns:\n  pin: {strategy: mask, keep_first: 2, keep_last: 1}\n",
			sample: textColumn("pin", []string{"1234", "5678", "90123", "4-5-6-7"}),
			want:   []string{"columns.pin.keep_first", "more than half of a typical value"}},
		{name: "mask keeps little of long values",
			src:    "version: 1\ncolumns:\n  pin: {strategy: mask, keep_first: 2, keep_last: 1}\n",
			sample: textColumn("pin", []string{"12345678", "1234567"})},
		{name: "mask email local part",
			src: "version: 1\ncolumns:\n" +
				"  email: {strategy: mask, mode: email, keep_first: 3}\n",
			sample: textColumn("email", []string{"abcde@example.com", "xyzw@example.org"}),
			want:   []string{"columns.email.keep_first"}},
		{name: "hash length 12", src: "version: 1\ncolumns:\n" +
			"  id: {strategy: hash, length: 12}\n",
			want: []string{"p.yaml:3: columns.id.length:", "12 characters", "at least 16"}},
		{name: "hash length 16", src: "version: 1\ncolumns:\n  id: {strategy: hash, length: 16}\n"},
		{name: "hash full", src: "version: 1\ncolumns:\n  id: hash\n"},
		{name: "k of 1", src: "version: 1\ncolumns:\n  zip: keep\nk_anonymity:\n  k: 1\n" +
			"  quasi_identifiers:\n    zip: {mask_suffix: true}\n",
			want: []string{"p.yaml:5: k_anonymity.k:", "k = 1"}},
		{name: "tiny noise", src: "version: 1\ncolumns:\n  salary: {strategy: noise, scale: 10}\n",
			sample: float64Column("salary", spread),
			want:   []string{"p.yaml:3: columns.salary.scale:", "below 1%"}},
		{name: "noise against text numbers",
			src: "version: 1\ncolumns:\n  salary: {strategy: noise, scale: 10}\n",
			sample: textColumn("salary", []string{"1000", "90000", "50000", " 70000 ",
				"n/a"}),
			want: []string{"columns.salary.scale"}},
		{name: "enough noise", src: "version: 1\ncolumns:\n  salary: {strategy: noise, scale: 500}\n",
			sample: float64Column("salary", spread)},
		{name: "noise without a sample",
			src: "version: 1\ncolumns:\n  salary: {strategy: noise, scale: 0.001}\n"},
		{name: "noise on a constant column",
			src:    "version: 1\ncolumns:\n  salary: {strategy: noise, scale: 0.001}\n",
			sample: float64Column("salary", []float64{5, 5, 5})},
		{name: "tiny relative noise",
			src:  "version: 1\ncolumns:\n  salary: {strategy: noise, relative: 0.001}\n",
			want: []string{"columns.salary.relative", "less than 1%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.src), "p.yaml", "../testdata")
			if err != nil {
				t.Fatal(err)
			}
			var s *Sample
			if tt.sample != nil {
				s = p.NewSample()
				s.Add(tt.sample)
				tt.sample.Release()
			}
			ws := p.Guardrails(s)
			if tt.want == nil {
				if len(ws) != 0 {
					t.Fatalf("warnings %v, want none", ws)
				}
				return
			}
			if len(ws) != 1 {
				t.Fatalf("warnings %v, want one", ws)
			}
			for _, w := range tt.want {
				if !strings.Contains(ws[0].String(), w) {
					t.Errorf("warning %q does not contain %q", ws[0], w)
				}
			}
		})
	}
}

// TestGuardrailsNoValues checks that warnings never quote sampled values.
func TestGuardrailsNoValues(t *testing.T) {
	p, err := Parse([]byte("version: 1\ncolumns:\n  pin: {strategy: mask, keep_first: 3}\n"+
		"  v: {strategy: noise, scale: 0.5}\n"), "p.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	s := p.NewSample()
	pins := textColumn("pin", []string{"SENTINEL1", "SENTINEL2", "ZZ9", "AB12"})
	defer pins.Release()
	s.Add(pins)
	vals := make([]float64, 50)
	for i := range vals {
		vals[i] = 1234567.25 * float64(i)
	}
	nums := float64Column("v", vals)
	defer nums.Release()
	s.Add(nums)
	for _, w := range p.Guardrails(s) {
		for _, bad := range []string{"SENTINEL", "ZZ9", "AB12", "1234567"} {
			if strings.Contains(w.String(), bad) {
				t.Errorf("warning %q quotes data", w)
			}
		}
	}
}

// TestSampleBounded checks that a sample stops at SampleRows rows.
func TestSampleBounded(t *testing.T) {
	p, err := Parse([]byte("version: 1\ncolumns:\n  pin: {strategy: mask, keep_first: 1}\n"),
		"p.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	s := p.NewSample()
	vals := make([]string, 4000)
	for i := range vals {
		vals[i] = fmt.Sprint(i)
	}
	rec := textColumn("pin", vals)
	defer rec.Release()
	for range 4 {
		s.Add(rec)
	}
	if !s.Full() || len(s.lengths["pin"]) != SampleRows {
		t.Errorf("sample holds %d values, full %v; want %d", len(s.lengths["pin"]), s.Full(),
			SampleRows)
	}
}

// TestUniqueGuardrailIsAnError records that a unique column with a strategy
// that cannot keep it unique is refused by Parse (stronger than a warning).
func TestUniqueGuardrailIsAnError(t *testing.T) {
	_, err := Parse([]byte("version: 1\ncolumns:\n  id: {strategy: mask, unique: true}\n"),
		"p.yaml", ".")
	if !errors.Is(err, transform.ErrNotUnique) {
		t.Errorf("error %v, want ErrNotUnique", err)
	}
}

// TestAuditLogKey checks the audit_log key: resolved against the profile's
// folder, and refused when it is not a path.
func TestAuditLogKey(t *testing.T) {
	p, err := Parse([]byte("version: 1\naudit_log: logs/audit.jsonl\ncolumns:\n  a: keep\n"),
		"p.yaml", "/etc/anon")
	if err != nil {
		t.Fatal(err)
	}
	if p.AuditLog != "/etc/anon/logs/audit.jsonl" {
		t.Errorf("AuditLog = %q", p.AuditLog)
	}
	p, err = Parse([]byte("version: 1\naudit_log: /var/log/a.jsonl\ncolumns:\n  a: keep\n"),
		"p.yaml", "/etc/anon")
	if err != nil || p.AuditLog != "/var/log/a.jsonl" {
		t.Errorf("absolute path: %v, %q", err, p.AuditLog)
	}
	_, err = Parse([]byte("version: 1\naudit_log: [a]\ncolumns:\n  a: keep\n"), "p.yaml", ".")
	var pe *Error
	if !errors.As(err, &pe) || pe.Path != "audit_log" || pe.Line != 2 {
		t.Errorf("error %v, want one at p.yaml:2 audit_log", err)
	}
}

func TestGuardrailNoOpNoise(t *testing.T) {
	for _, entry := range []string{"{strategy: noise, scale: 0}",
		"{strategy: noise, max_shift_days: 0}"} {
		p, err := Parse([]byte("version: 1\ncolumns:\n  a: "+entry+"\n"), "p.yaml", ".")
		if err != nil {
			t.Fatal(err)
		}
		warnings := p.Guardrails(nil)
		if len(warnings) == 0 || !strings.Contains(fmt.Sprint(warnings), "changes nothing") {
			t.Errorf("%s: warnings %v, want a no-op warning", entry, warnings)
		}
	}
}

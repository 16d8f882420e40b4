package detect

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Profiler accumulates statistics about the columns of a table, batch by
// batch, in bounded memory: counters and a distinct-count sketch per
// column, never the values. Use [NewProfiler], [Profiler.Add] for each
// batch, then [Profiler.Reports]. Profilers of parts of a table merge with
// [Profiler.Merge]. A Profiler is not safe for concurrent use.
type Profiler struct {
	names []string
	cols  []*colStats
}

// colStats are the counters of one column.
type colStats struct {
	rows, nulls, n int
	temporal       bool // the Arrow type is a date or timestamp
	match          map[Kind]int
	phoneLoose     int // digits that libphonenumber accepts, formatted or not
	phoneShaped    int // 6-15 digits with only phone separators, any country
	idLoose        int // national-ID shaped: SSN digits, NINO, letters+digits
	zipShape       int
	dates, births  int
	nameShape      int
	cities         int
	texts, spans   int // values of 3+ words; values with a PII span inside
	hasDigit       int
	distinct       *distinctSketch
}

// NewProfiler returns a profiler of the columns with these names. Columns
// of later batches are matched by name; other columns are ignored.
func NewProfiler(columnNames []string) *Profiler {
	p := &Profiler{names: append([]string(nil), columnNames...)}
	for range p.names {
		p.cols = append(p.cols, &colStats{match: map[Kind]int{}, distinct: newSketch()})
	}
	return p
}

// Add profiles every row of batch. It does not keep the batch.
func (p *Profiler) Add(batch arrow.RecordBatch) {
	idx := map[string]int{}
	for i, f := range batch.Schema().Fields() {
		if _, dup := idx[f.Name]; !dup {
			idx[f.Name] = i
		}
	}
	for c, name := range p.names {
		i, ok := idx[name]
		if !ok {
			continue
		}
		p.cols[c].addArray(batch.Column(i))
	}
}

// AddValue profiles one value of column c (an index into the names given
// to NewProfiler); null marks a missing value.
func (p *Profiler) AddValue(c int, v string, null bool) {
	s := p.cols[c]
	s.rows++
	if null {
		s.nulls++
		return
	}
	s.add(v)
}

func (s *colStats) addArray(arr arrow.Array) {
	switch arr.DataType().ID() {
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		s.temporal = true
	}
	value := stringsOf(arr)
	for i := 0; i < arr.Len(); i++ {
		s.rows++
		if arr.IsNull(i) {
			s.nulls++
			continue
		}
		s.add(value(i))
	}
}

// stringsOf reads value i of an array as text.
func stringsOf(arr arrow.Array) func(i int) string {
	switch a := arr.(type) {
	case *array.String:
		return a.Value
	case *array.LargeString:
		return a.Value
	case *array.StringView:
		return a.Value
	case *array.Binary:
		return a.ValueString
	case *array.LargeBinary:
		return func(i int) string { return string(a.Value(i)) }
	}
	return arr.ValueStr
}

// add profiles one non-null value.
func (s *colStats) add(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		s.nulls++
		return
	}
	s.n++
	s.distinct.add(v)
	for _, k := range ValueKinds(v) {
		s.match[k]++
	}
	if strings.ContainsAny(v, "0123456789") {
		s.hasDigit++
	}
	if ok, _ := phoneShape(v); ok && !isDateLike(v) &&
		(isPhone(v, "US") || strings.HasPrefix(v, "+") && isPhone(v, "")) {
		s.phoneLoose++
	}
	if loosePhoneShape(v) && !isDateLike(v) {
		s.phoneShaped++
	}
	if isIDShaped(v) {
		s.idLoose++
	}
	if isZipShaped(v) {
		s.zipShape++
	}
	if t, ok := parseDate(v); ok {
		s.dates++
		if plausibleBirth(t) {
			s.births++
		}
	}
	if isNameShaped(v) {
		s.nameShape++
		if isKnownCity(v) {
			s.cities++
		}
	}
	if len(words(v)) >= 3 {
		s.texts++
		for _, sp := range FindSpans(v) {
			if sp.Kind.Direct() || sp.Kind == DateOfBirth {
				s.spans++
				break
			}
		}
	}
}

// isIDShaped reports SSN digits, a UK National Insurance number, or a
// 5-20 character code of letters and digits with at least 4 digits.
func isIDShaped(v string) bool {
	if isSSN(v) || ssnDigits(v) {
		return true
	}
	c := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "-", ""))
	if len(c) < 5 || len(c) > 20 {
		return false
	}
	digits := 0
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case isDigit(ch):
			digits++
		case ch >= 'A' && ch <= 'Z':
		default:
			return false
		}
	}
	return digits >= 4
}

// isZipShaped reports US ZIP (12345, 12345-6789), 4-digit codes, and
// UK/Canadian/Dutch style postcodes.
func isZipShaped(v string) bool {
	if len(v) < 3 || len(v) > 10 {
		return false
	}
	d := digitsOnly(v)
	if d != "" && (len(d) == 5 || len(d) == 9 || len(d) == 4 || len(d) == 6) &&
		strings.Count(v, " ") == 0 {
		return true
	}
	ws := words(v)
	if len(ws) != 2 {
		return false
	}
	letters, digits := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case isDigit(c):
			digits++
		case isLetter(c):
			letters++
		case c != ' ':
			return false
		}
	}
	return digits >= 1 && letters >= 1 && len(ws[0]) <= 4 && len(ws[1]) <= 4
}

// Merge adds the statistics of q, a profiler of the same columns, to p.
func (p *Profiler) Merge(q *Profiler) {
	for i, a := range p.cols {
		if i >= len(q.cols) {
			break
		}
		b := q.cols[i]
		a.rows += b.rows
		a.nulls += b.nulls
		a.n += b.n
		a.temporal = a.temporal || b.temporal
		for k, c := range b.match {
			a.match[k] += c
		}
		a.phoneLoose += b.phoneLoose
		a.phoneShaped += b.phoneShaped
		a.idLoose += b.idLoose
		a.zipShape += b.zipShape
		a.dates += b.dates
		a.births += b.births
		a.nameShape += b.nameShape
		a.cities += b.cities
		a.texts += b.texts
		a.spans += b.spans
		a.hasDigit += b.hasDigit
		a.distinct.merge(b.distinct)
	}
}

// Reports returns one report per column, in the order of NewProfiler.
func (p *Profiler) Reports() []ColumnReport {
	out := make([]ColumnReport, len(p.names))
	for i, n := range p.names {
		out[i] = classify(n, p.cols[i])
	}
	return out
}

package profiles

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/anon-data/anon/transform"
)

// Guardrail thresholds. A setting past one is valid but weak: `anon validate`
// warns, and fails with --strict.
const (
	// MaxMaskKeep is the most letters and digits a mask may leave visible
	// (keep_first + keep_last) before it counts as keeping most of a value.
	MaxMaskKeep = 3

	// MinHashLength is the shortest hash truncation that does not warn.
	MinHashLength = 16

	// MinK is the smallest k of k-anonymity that does not warn.
	MinK = 2

	// MinNoiseShare is the smallest noise size, as a share of the column's
	// spread (scale) or of the value (relative), that does not warn.
	MinNoiseShare = 0.01

	// SampleRows is how many input rows the data-dependent guardrails read.
	SampleRows = 10000
)

// Warning is a weak setting in a profile. It names a place in the profile,
// never a data value.
type Warning struct {
	// File is the profile's path.
	File string

	// Line is the 1-based line of the key, or 0.
	Line int

	// Path is the key's path, such as columns.card.keep_last.
	Path string

	// Message says what is weak and what would be stronger.
	Message string
}

// String formats the warning as file:line: path: message.
func (w Warning) String() string {
	where := w.File
	if w.Line > 0 {
		where = fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	return fmt.Sprintf("%s: %s: %s", where, w.Path, w.Message)
}

// Guardrails returns the weak settings of the profile, in profile order. With
// a sample of the input (may be nil) it also checks a mask against the
// values' typical length and noise against the column's spread.
//
// A column marked `unique: true` whose strategy cannot keep it unique is not
// a warning: Parse refuses it (see [transform.Spec.CheckUnique]).
func (p *Profile) Guardrails(s *Sample) []Warning {
	var out []Warning
	warn := func(line int, path, format string, args ...any) {
		out = append(out, Warning{File: p.Path, Line: line, Path: path,
			Message: fmt.Sprintf(format, args...)})
	}

	entries := p.optionNodes()
	for _, col := range p.Columns {
		if col.Spec == nil {
			continue
		}
		e := entries[col.Name]
		opts := e.options(col)
		at := func(key string) (int, string) {
			path := "columns." + col.Name
			if n, ok := e.keys[key]; ok {
				return nodeLine(n), path + "." + key
			}
			return col.Line, path
		}

		switch col.Strategy {
		case "mask":
			first, last := opts.Int("keep_first"), opts.Int("keep_last")
			keep := first + last
			key := "keep_first"
			if last > first {
				key = "keep_last"
			}
			line, path := at(key)
			if keep > MaxMaskKeep {
				warn(line, path, "the mask leaves %d letters and digits visible "+
					"(keep_first + keep_last); more than %d keeps most of a short value",
					keep, MaxMaskKeep)
			} else if n, ok := s.typicalLength(col.Name); ok && keep > 0 &&
				2*keep > int64(n) && keep < int64(n) {
				warn(line, path, "the mask leaves %d letters and digits visible, more "+
					"than half of a typical value in the input (median of the first %d "+
					"rows)", keep, s.rows)
			}
		case "hash":
			if l := opts.Int("length"); l > 0 && l < MinHashLength {
				line, path := at("length")
				warn(line, path, "a hash truncated to %d characters makes shared tokens "+
					"likely; use at least %d, or 0 for the full digest", l, MinHashLength)
			}
		case "noise":
			for _, key := range []string{"scale", "relative", "max_shift_days"} {
				if opts.Has(key) && opts.Float(key) == 0 {
					line, path := at(key)
					warn(line, path, "%s is 0: the noise changes nothing", key)
				}
			}
			if opts.Has("relative") && opts.Float("relative") < MinNoiseShare {
				line, path := at("relative")
				warn(line, path, "relative noise below %g changes values by less "+
					"than 1%%", MinNoiseShare)
			}
			if !opts.Has("scale") {
				break
			}
			spread, ok := s.spread(col.Name)
			if ok && opts.Float("scale") < MinNoiseShare*spread {
				line, path := at("scale")
				warn(line, path, "the noise scale is below 1%% of the column's spread "+
					"(the smaller of its standard deviation and interquartile range "+
					"in the first %d rows); it hides little", s.rows)
			}
		}
	}

	if k := p.KAnonymity; k != nil && k.K < MinK {
		line, path := p.kLine(), "k_anonymity.k"
		warn(line, path, "k = %d lets a record be unique in its class; use at least %d",
			k.K, MinK)
	}
	return out
}

// entry is one column's mapping in the profile source.
type entry struct {
	keys map[string]ast.Node // option key nodes, by name
	raw  map[string]any      // option values
}

// options returns the column's typed options, defaults filled in.
func (e entry) options(col Column) transform.Options {
	raw := map[string]any{}
	for k, v := range e.raw {
		if p := col.Spec.Param(k); p != nil && p.Type != transform.ParamFile {
			raw[k] = v
		}
	}
	o, _ := col.Spec.Parse(col.Name, raw)
	return o
}

// optionNodes finds each column's options in the profile source again, with
// their positions. Parse has checked the source, so problems are skipped.
func (p *Profile) optionNodes() map[string]entry {
	out := map[string]entry{}
	root := p.root()
	if root == nil {
		return out
	}
	for _, kv := range root.Values {
		if kv.Key.String() != "columns" {
			continue
		}
		cols, ok := kv.Value.(*ast.MappingNode)
		if !ok {
			return out
		}
		for _, c := range cols.Values {
			m, ok := c.Value.(*ast.MappingNode)
			if !ok {
				continue
			}
			e := entry{keys: map[string]ast.Node{}, raw: map[string]any{}}
			for _, o := range m.Values {
				key := keyString(o.Key)
				var v any
				if yaml.NodeToValue(o.Value, &v) == nil {
					e.keys[key] = o.Key
					e.raw[key] = v
				}
			}
			out[keyString(c.Key)] = e
		}
	}
	return out
}

// root returns the top-level mapping of the profile source, or nil.
func (p *Profile) root() *ast.MappingNode {
	f, err := parser.ParseBytes(p.src, 0)
	if err != nil || len(f.Docs) != 1 {
		return nil
	}
	m, _ := f.Docs[0].Body.(*ast.MappingNode)
	return m
}

// kLine returns the line of k_anonymity.k, or 0.
func (p *Profile) kLine() int {
	root := p.root()
	if root == nil {
		return 0
	}
	for _, kv := range root.Values {
		if kv.Key.String() != "k_anonymity" {
			continue
		}
		if m, ok := kv.Value.(*ast.MappingNode); ok {
			for _, o := range m.Values {
				if keyString(o.Key) == "k" {
					return nodeLine(o.Key)
				}
			}
		}
		return nodeLine(kv.Key)
	}
	return 0
}

func nodeLine(n ast.Node) int {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// Sample holds what the guardrails learn from the first rows of an input:
// the lengths of masked values and the numbers of noised columns. It stays
// in memory and is never printed.
type Sample struct {
	rows    int64
	lengths map[string][]int     // mask columns: letters and digits per value
	numbers map[string][]float64 // noise columns with a scale
	email   map[string]bool      // mask columns in email mode
}

// NewSample returns an empty sample of the columns the profile's guardrails
// look at. Feed it batches with [Sample.Add].
func (p *Profile) NewSample() *Sample {
	s := &Sample{lengths: map[string][]int{}, numbers: map[string][]float64{},
		email: map[string]bool{}}
	entries := p.optionNodes()
	for _, col := range p.Columns {
		if col.Spec == nil {
			continue
		}
		opts := entries[col.Name].options(col)
		switch {
		case col.Strategy == "mask":
			s.lengths[col.Name] = nil
			s.email[col.Name] = opts.String("mode") == "email"
		case col.Strategy == "noise" && opts.Has("scale"):
			s.numbers[col.Name] = nil
		}
	}
	return s
}

// Full reports whether the sample holds SampleRows rows.
func (s *Sample) Full() bool { return s.rows >= SampleRows }

// Add takes the rows of rec, up to SampleRows in all.
func (s *Sample) Add(rec arrow.RecordBatch) {
	n := min(rec.NumRows(), SampleRows-s.rows)
	if n <= 0 {
		return
	}
	schema := rec.Schema()
	for name := range s.lengths {
		for _, j := range schema.FieldIndices(name) {
			s.lengths[name] = appendLengths(s.lengths[name], rec.Column(j), int(n),
				s.email[name])
		}
	}
	for name := range s.numbers {
		for _, j := range schema.FieldIndices(name) {
			s.numbers[name] = appendNumbers(s.numbers[name], rec.Column(j), int(n))
		}
	}
	s.rows += n
}

// appendLengths appends the number of letters and digits (of the local part
// in email mode) of the first n non-null values of col.
func appendLengths(out []int, col arrow.Array, n int, email bool) []int {
	for i := range n {
		if col.IsNull(i) {
			continue
		}
		v := col.ValueStr(i)
		if email {
			if at := strings.LastIndexByte(v, '@'); at >= 0 {
				v = v[:at]
			}
		}
		count := 0
		for _, r := range v {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				count++
			}
		}
		out = append(out, count)
	}
	return out
}

// appendNumbers appends the first n values of col that are numbers.
func appendNumbers(out []float64, col arrow.Array, n int) []float64 {
	for i := range n {
		if col.IsNull(i) {
			continue
		}
		var f float64
		switch c := col.(type) {
		case *array.Int64:
			f = float64(c.Value(i))
		case *array.Int32:
			f = float64(c.Value(i))
		case *array.Int16:
			f = float64(c.Value(i))
		case *array.Int8:
			f = float64(c.Value(i))
		case *array.Uint64:
			f = float64(c.Value(i))
		case *array.Uint32:
			f = float64(c.Value(i))
		case *array.Uint16:
			f = float64(c.Value(i))
		case *array.Uint8:
			f = float64(c.Value(i))
		case *array.Float64:
			f = c.Value(i)
		case *array.Float32:
			f = float64(c.Value(i))
		case *array.String, *array.LargeString, *array.StringView:
			v, err := strconv.ParseFloat(strings.TrimSpace(col.ValueStr(i)), 64)
			if err != nil {
				continue
			}
			f = v
		default:
			return out
		}
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			out = append(out, f)
		}
	}
	return out
}

// typicalLength returns the median length of a mask column's values.
func (s *Sample) typicalLength(name string) (int, bool) {
	if s == nil || len(s.lengths[name]) == 0 {
		return 0, false
	}
	l := slices.Clone(s.lengths[name])
	slices.Sort(l)
	return l[len(l)/2], true
}

// spread returns the smaller positive one of the standard deviation and the
// interquartile range of a noise column's numbers.
func (s *Sample) spread(name string) (float64, bool) {
	if s == nil || len(s.numbers[name]) < 2 {
		return 0, false
	}
	x := slices.Clone(s.numbers[name])
	slices.Sort(x)
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(x)-1))
	iqr := quantile(x, 0.75) - quantile(x, 0.25)

	switch {
	case sd > 0 && iqr > 0:
		return min(sd, iqr), true
	case sd > 0:
		return sd, true
	}
	return 0, false
}

// quantile returns the q-quantile of sorted x by linear interpolation.
func quantile(x []float64, q float64) float64 {
	pos := q * float64(len(x)-1)
	i := int(pos)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (pos-float64(i))*(x[i+1]-x[i])
}

package transform

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/transform/hierarchy"
)

var errValueNotInHierarchy = errors.New("value not in hierarchy")

var generalizeSpec = &Spec{
	Name:    "generalize",
	Summary: "reduce precision: number ranges, coarser dates, prefixes, hierarchies",
	Doc: "Each column uses exactly one mode. `bucket`: numbers become ranges, " +
		"`30-39` for integers with an integer bucket, else `[lo, hi)` written " +
		"`30.0-40.0`; `top`/`bottom` (alone or with bucket) write values >= top as " +
		"`>=90` and values < bottom as `<18`, and clip the neighbouring ranges. " +
		"`date_level`: dates become `1885-03-01` (day), `1885-03` (month), `1885` " +
		"(year) or `1880s` (decade); date-only values are civil dates, never shifted " +
		"by a time zone, and date-times use the date as written (zoned timestamp " +
		"columns: the date in the column's time zone). `keep_first`: the first N " +
		"characters stay and every later character becomes `*`, keeping the length. " +
		"`hierarchy`: each value is replaced by its generalization at `level` in an " +
		"ARX-format hierarchy file; a value missing from it is an error naming the row " +
		"and column. The output column is always text (utf8). Nulls stay null and " +
		"empty text stays empty; text that does not parse is an error naming the row " +
		"and column.",
	Params: []Param{
		{Name: "bucket", Type: ParamFloat, Doc: "width of numeric ranges (> 0)"},
		{Name: "top", Type: ParamFloat, Doc: "values >= top become \">=top\""},
		{Name: "bottom", Type: ParamFloat, Doc: "values < bottom become \"<bottom\""},
		{Name: "date_level", Type: ParamEnum,
			Enum: []string{string(DateDay), string(DateMonth), string(DateYear),
				string(DateDecade)},
			Doc: "keep dates to the day, month, year or decade"},
		{Name: "keep_first", Type: ParamInt,
			Doc: "keep this many leading characters, replace the rest with *"},
		{Name: "hierarchy", Type: ParamFile,
			Doc: "ARX-format hierarchy CSV: value;level1;...;*"},
		{Name: "level", Type: ParamInt, Doc: "hierarchy level to write, 1 to its height"},
		{Name: "separator", Type: ParamString, Default: ";",
			Doc: "field separator of the hierarchy file"},
	},
	Example: "age: {strategy: generalize, bucket: 10, top: 90}\n" +
		"zip: {strategy: generalize, keep_first: 3}\n" +
		"birth_date: {strategy: generalize, date_level: month}",
	New: newGeneralizeFromOptions,
}

func newGeneralizeFromOptions(o Options) (Strategy, error) {
	var modes []string
	var numbers []string
	for _, name := range []string{"bucket", "top", "bottom"} {
		if o.Has(name) {
			numbers = append(numbers, name)
		}
	}
	if len(numbers) > 0 {
		modes = append(modes, strings.Join(numbers, "/"))
	}
	for _, name := range []string{"date_level", "keep_first", "hierarchy"} {
		if o.Has(name) {
			modes = append(modes, name)
		}
	}
	switch len(modes) {
	case 0:
		return nil, paramErrorf("",
			"generalize needs one of bucket (and/or top, bottom), date_level, keep_first "+
				"or hierarchy")
	case 1:
	default:
		return nil, paramErrorf("", "options %s select different modes; use one",
			strings.Join(modes, " and "))
	}
	if o.Has("level") && !o.Has("hierarchy") {
		return nil, paramErrorf("level", "needs hierarchy")
	}

	switch {
	case len(numbers) > 0:
		bottom, top := negInf, posInf
		if o.Has("bucket") && !(o.Float("bucket") > 0) {
			return nil, paramErrorf("bucket", "must be greater than 0")
		}
		if o.Has("bottom") {
			bottom = o.Float("bottom")
		}
		if o.Has("top") {
			top = o.Float("top")
		}
		return NewGeneralizeRanges(o.Float("bucket"), bottom, top)
	case o.Has("date_level"):
		return NewGeneralizeDates(DateLevel(o.String("date_level")))
	case o.Has("keep_first"):
		return NewGeneralizePrefix(int(o.Int("keep_first")))
	}

	if !o.Has("level") {
		return nil, paramErrorf("level", "is required with hierarchy")
	}
	sep := o.String("separator")
	if utf8.RuneCountInString(sep) != 1 {
		return nil, paramErrorf("separator", "must be one character")
	}
	r, _ := utf8.DecodeRuneInString(sep)
	h, err := hierarchy.ParseCSV(o.File("hierarchy"), r)
	if err != nil {
		return nil, paramErrorf("hierarchy", "%v", err)
	}
	return NewGeneralizeHierarchy(h, int(o.Int("level")))
}

// generalizeMode is the kind of generalization a column gets.
type generalizeMode uint8

const (
	generalizeRanges generalizeMode = iota + 1
	generalizeDates
	generalizePrefix
	generalizeHierarchy
)

// Generalize reduces the precision of a column and writes it as text. It is
// not keyed. Build it with [NewGeneralizeRanges], [NewGeneralizeDates],
// [NewGeneralizePrefix] or [NewGeneralizeHierarchy]; it is safe for
// concurrent use.
type Generalize struct {
	mode      generalizeMode
	ranges    *numberRanges
	level     DateLevel
	keepFirst int

	// labels maps each hierarchy leaf to its label at the chosen level.
	labels map[string]string
}

// NewGeneralizePrefix returns a strategy that keeps the first keepFirst
// characters (runes) of each value and replaces every later character with
// '*', so the length in characters is kept (`02134` → `021**`, field report
// B15). Invalid UTF-8 bytes count as one character each.
func NewGeneralizePrefix(keepFirst int) (*Generalize, error) {
	if keepFirst < 0 {
		return nil, paramErrorf("keep_first", "must not be negative")
	}
	return &Generalize{mode: generalizePrefix, keepFirst: keepFirst}, nil
}

// NewGeneralizeHierarchy returns a strategy that replaces each value with its
// generalization at level (1 to h.Height()) in h. Values are matched by their
// text form; a value missing from h is a [*RowError].
func NewGeneralizeHierarchy(h *hierarchy.Hierarchy, level int) (*Generalize, error) {
	if h == nil {
		return nil, paramErrorf("hierarchy", "is required")
	}
	if level < 1 || level > h.Height() {
		return nil, paramErrorf("level", "must be between 1 and %d (the hierarchy's height)",
			h.Height())
	}
	labels := make(map[string]string, h.Leaves())
	for i := 0; i < h.Leaves(); i++ {
		labels[h.Leaf(i)] = h.At(i, level)
	}
	return &Generalize{mode: generalizeHierarchy, labels: labels}, nil
}

// OutputType implements [Strategy]: the output is text, large_utf8 for
// large_utf8 input and utf8 otherwise. Ranges read text and numeric columns,
// dates text, date and timestamp columns, prefixes and hierarchies text and
// integer columns.
func (g *Generalize) OutputType(in arrow.DataType) (arrow.DataType, error) {
	ok := isStringLike(in)
	switch g.mode {
	case generalizeRanges:
		ok = ok || isNoiseNumberType(in)
	case generalizeDates:
		ok = ok || isDateType(in)
	default:
		_, _, isInt := intRange(in)
		ok = ok || isInt
	}
	if !ok {
		return nil, fmt.Errorf("%w: generalize does not handle %s in this mode",
			ErrUnsupportedType, in)
	}
	return textOutputType(in), nil
}

// Apply implements [Strategy].
func (g *Generalize) Apply(w *Worker, in Input) (arrow.Array, error) {
	if _, err := g.OutputType(in.Array().DataType()); err != nil {
		return nil, err
	}
	switch g.mode {
	case generalizeRanges:
		return g.ranges.apply(w, in)
	case generalizeDates:
		return g.applyDates(w, in)
	case generalizePrefix:
		return MapText(w, in, func(dst, v []byte) ([]byte, error) {
			return appendPrefix(dst, v, g.keepFirst), nil
		})
	}
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		if len(v) == 0 {
			return dst, nil
		}
		label, ok := g.labels[string(v)]
		if !ok {
			return dst, errValueNotInHierarchy
		}
		return append(dst, label...), nil
	})
}

// appendPrefix writes the first keep runes of s and a '*' for each later one.
func appendPrefix(dst, s []byte, keep int) []byte {
	for n := 0; len(s) > 0; n++ {
		_, size := utf8.DecodeRune(s)
		if n < keep {
			dst = append(dst, s[:size]...)
		} else {
			dst = append(dst, '*')
		}
		s = s[size:]
	}
	return dst
}

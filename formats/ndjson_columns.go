// This file holds the columns of the JSON readers and jsonDecoder, which
// appends parsed values to their builders, including the conversion to
// declared types and the number parsing it relies on.

package formats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// colKind says which JSON values a column accepts and how it stores them.
type colKind uint8

const (
	colBool     colKind = iota // JSON booleans
	colInt64                   // integers that fit int64
	colFloat64                 // any number that fits float64
	colString                  // JSON strings
	colNumText                 // any number, kept as its exact text
	colJSONText                // objects and arrays, kept as compact JSON text
	colAnyText                 // declared utf8: any value, as text
	colDeclared                // another declared type, converted by convert
)

// jsonColumn is one column of a JSON reader.
type jsonColumn struct {
	name     string
	kind     colKind
	typ      arrow.DataType
	meta     string
	declared bool
	b        array.Builder // nil for utf8, which uses text

	// Inference state.
	cat      jsonCategory
	hasFloat bool
	hasBig   bool
	conflict *ParseError

	// Per-record state: the field index holding this column's value in the
	// record with stamp seen.
	seen  int64
	field int

	// perRow is the text bytes per row of the last batch, for reserve.
	perRow float64

	// text replaces b for a utf8 column; tooBig is set when its batch
	// overflows.
	text   *textBuilder
	tooBig bool
}

// jsonDecoder parses JSON objects and appends them to the builders of a
// settled schema. Each decoding goroutine has its own; they share index,
// which is read-only once inference is done.
type jsonDecoder struct {
	name    string                   // input name for errors
	window  int                      // records used for inference, named in errors
	check   func(name string) string // ReadOptions.HeaderCheck, for keys
	p       jsonParser
	cols    []*jsonColumn
	index   map[string]int
	stamp   int64
	scratch []byte
	keyBuf  []byte
}

// expect tells the parser to expect the key of column idx at member place
// fi of the next records: records mostly list their keys in one order.
// Names that would need escaping in JSON are not expected.
func (r *jsonDecoder) expect(fi, idx int) {
	for len(r.p.expect) <= fi {
		r.p.expect = append(r.p.expect, expectedKey{col: -1})
	}
	name := r.cols[idx].name
	if plainRun([]byte(name)) == len(name) {
		r.p.expect[fi] = expectedKey{name: name, col: idx}
	} else {
		r.p.expect[fi] = expectedKey{col: -1}
	}
}

// clone returns a decoder of the same schema with its own builders.
func (r *jsonDecoder) clone(mem memory.Allocator) *jsonDecoder {
	d := &jsonDecoder{name: r.name, window: r.window, check: r.check, index: r.index,
		cols: make([]*jsonColumn, len(r.cols))}
	for i, c := range r.cols {
		cc := *c
		cc.setBuilder(mem)
		d.cols[i] = &cc
	}
	return d
}

// setBuilder gives c a new builder of its type: a textBuilder for utf8,
// an Arrow builder for the others.
func (c *jsonColumn) setBuilder(mem memory.Allocator) {
	c.b, c.text = nil, nil
	if c.typ.ID() == arrow.STRING {
		c.text = newTextBuilder(mem)
	} else {
		c.b = array.NewBuilder(mem, c.typ)
	}
	c.seen, c.tooBig = -1, false
}

// appendNull appends a null to c.
func (c *jsonColumn) appendNull() {
	if c.text != nil {
		c.text.appendNull()
		return
	}
	c.b.AppendNull()
}

// newArray returns the values appended since the last array.
func (c *jsonColumn) newArray() arrow.Array {
	if c.text != nil {
		return c.text.newArray()
	}
	return c.b.NewArray()
}

// key returns the unescaped key of f, valid until the next call.
func (r *jsonDecoder) key(f *jsonField) []byte {
	if !f.keyEsc {
		return r.p.key(f)
	}
	r.keyBuf = appendUnescaped(r.keyBuf[:0], r.p.key(f))
	return r.keyBuf
}

// reserve makes room for n rows. Text columns also reserve the bytes the
// last batch of this decoder held per row, so that their data buffers are
// not regrown (and their old copies left to the GC) while a batch is built.
func (r *jsonDecoder) reserve(n int) {
	for _, c := range r.cols {
		if c.text != nil {
			c.text.reserve(n, int(min(c.perRow*float64(n)*1.03+64, float64(maxTextBytes))))
			continue
		}
		c.b.Reserve(n)
	}
}

// batch makes a batch of the n rows appended since the last one.
func (r *jsonDecoder) batch(schema *arrow.Schema, n int) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		if c.text != nil && n > 0 {
			c.perRow = float64(c.text.dataLen()) / float64(n)
		}
		arrs[i] = c.newArray()
	}
	rec := array.NewRecordBatch(schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

// discard drops the rows appended since the last batch.
func (r *jsonDecoder) discard() {
	for _, c := range r.cols {
		c.newArray().Release()
		c.tooBig = false
	}
}

// release frees the builders.
func (r *jsonDecoder) release() {
	for _, c := range r.cols {
		if c.b != nil {
			c.b.Release()
		}
		if c.text != nil {
			c.text.release()
		}
		c.b, c.text = nil, nil
	}
}

// appendRecord parses one record, the row-th of the input on line line, and
// appends it to the builders. A syntax error is returned as a
// *jsonSyntaxError for the caller to place; other errors are *ParseErrors.
func (r *jsonDecoder) appendRecord(raw []byte, line, row int64) error {
	if err := r.p.parseObject(raw); err != nil {
		return err
	}
	r.stamp++
	for fi := range r.p.fields {
		f := &r.p.fields[fi]
		if f.col >= 0 {
			// The parser matched the key this place had last time.
			c := r.cols[f.col]
			c.seen, c.field = r.stamp, fi
			continue
		}
		key := r.key(f)
		idx, ok := r.index[string(key)]
		if !ok {
			if err := r.keyLooksLikeData(key, fi, line, row); err != nil {
				return err
			}
			return &ParseError{File: r.name, Line: line, Row: row, Column: string(key),
				Err: fmt.Errorf("key not seen in the first %d records used to infer the schema; "+
					"declare its type in the profile", r.window)}
		}
		r.expect(fi, idx)
		c := r.cols[idx]
		c.seen, c.field = r.stamp, fi
	}
	for _, c := range r.cols {
		if c.seen != r.stamp {
			c.appendNull()
			continue
		}
		v := &r.p.fields[c.field].val
		if v.kind == jsonNull {
			c.appendNull()
			continue
		}
		if err := r.appendValue(c, v); err != nil {
			if !c.declared {
				err = fmt.Errorf("%w; the type was inferred from the first %d records: "+
					"declare the column's type in the profile (type: string keeps any "+
					"value)", err, r.window)
			}
			return &ParseError{File: r.name, Line: line, Row: row, Column: c.name, Err: err}
		}
		if c.tooBig {
			return &ParseError{File: r.name, Line: line, Row: row, Column: c.name,
				Err: errJSONColumnTooBig}
		}
	}
	return nil
}

// appendValue appends a non-null value to c's builder.
func (r *jsonDecoder) appendValue(c *jsonColumn, v *jsonValue) error {
	raw := r.p.raw(v)
	switch c.kind {
	case colBool:
		if v.kind != jsonBool {
			return notFit(v, c.typ)
		}
		c.b.(*array.BooleanBuilder).Append(raw[0] == 't')
	case colInt64:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		if v.frac {
			return errors.New("a number with a fraction or exponent does not fit type int64")
		}
		n, ok := parseInt64Bytes(raw)
		if !ok {
			return errors.New("an integer out of the range of type int64")
		}
		c.b.(*array.Int64Builder).Append(n)
	case colFloat64:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		f, err := parseFloatBytes(raw)
		if err != nil || math.IsInf(f, 0) {
			return errors.New("a number out of the range of type float64")
		}
		c.b.(*array.Float64Builder).Append(f)
	case colString:
		if v.kind != jsonString {
			return notFit(v, c.typ)
		}
		r.appendText(c, r.stringBytes(v))
	case colNumText:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		r.appendText(c, raw)
	case colJSONText:
		if v.kind != jsonObject && v.kind != jsonArray {
			return notFit(v, c.typ)
		}
		r.scratch = appendCompact(r.scratch[:0], raw)
		r.appendText(c, r.scratch)
	case colAnyText:
		switch v.kind {
		case jsonString:
			r.appendText(c, r.stringBytes(v))
		case jsonObject, jsonArray:
			r.scratch = appendCompact(r.scratch[:0], raw)
			r.appendText(c, r.scratch)
		default:
			r.appendText(c, raw)
		}
	default:
		return r.convert(c, v)
	}
	return nil
}

// errJSONColumnTooBig reports a batch whose text overflows a utf8 column.
var errJSONColumnTooBig = errors.New("column holds more than 2 GiB of text in one batch; " +
	"use a smaller batch size")

// appendText appends b to a text column. For utf8 it sets c.tooBig, and
// appends a null, rather than overflow the offsets.
func (r *jsonDecoder) appendText(c *jsonColumn, b []byte) {
	if c.text == nil {
		c.b.(*array.LargeStringBuilder).BinaryBuilder.Append(b)
		return
	}
	if !c.text.append(b) {
		c.tooBig = true
		c.text.appendNull()
	}
}

// stringBytes returns the unescaped content of a string value, valid until
// the next call.
func (r *jsonDecoder) stringBytes(v *jsonValue) []byte {
	if !v.esc {
		return r.p.raw(v)
	}
	r.scratch = appendUnescaped(r.scratch[:0], r.p.raw(v))
	return r.scratch
}

// convert appends a value to a declared column of a type other than
// bool, int64, float64 and utf8.
func (r *jsonDecoder) convert(c *jsonColumn, v *jsonValue) error {
	raw := r.p.raw(v)
	switch b := c.b.(type) {
	case *array.Int8Builder, *array.Int16Builder, *array.Int32Builder:
		if v.kind != jsonNumber || v.frac {
			return notFit(v, c.typ)
		}
		n, ok := parseInt64Bytes(raw)
		bits := c.typ.(arrow.FixedWidthDataType).BitWidth()
		if !ok || n < -(1<<(bits-1)) || n >= 1<<(bits-1) {
			return fmt.Errorf("an integer out of the range of type %s", c.typ)
		}
		switch b := b.(type) {
		case *array.Int8Builder:
			b.Append(int8(n))
		case *array.Int16Builder:
			b.Append(int16(n))
		case *array.Int32Builder:
			b.Append(int32(n))
		}
	case *array.Uint8Builder, *array.Uint16Builder, *array.Uint32Builder, *array.Uint64Builder:
		if v.kind != jsonNumber || v.frac {
			return notFit(v, c.typ)
		}
		n, err := strconv.ParseUint(unsafeString(raw), 10, 64)
		bits := c.typ.(arrow.FixedWidthDataType).BitWidth()
		if err != nil || (bits < 64 && n >= 1<<bits) {
			return fmt.Errorf("an integer out of the range of type %s", c.typ)
		}
		switch b := b.(type) {
		case *array.Uint8Builder:
			b.Append(uint8(n))
		case *array.Uint16Builder:
			b.Append(uint16(n))
		case *array.Uint32Builder:
			b.Append(uint32(n))
		case *array.Uint64Builder:
			b.Append(n)
		}
	case *array.Float32Builder:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		f, err := strconv.ParseFloat(unsafeString(raw), 32)
		if err != nil || math.IsInf(f, 0) {
			return errors.New("a number out of the range of type float32")
		}
		b.Append(float32(f))
	case *array.Date32Builder:
		if v.kind != jsonString {
			return notFit(v, c.typ)
		}
		t, err := time.Parse(time.DateOnly, string(r.stringBytes(v)))
		if err != nil {
			return errors.New("a string that is not a date (YYYY-MM-DD)")
		}
		b.Append(arrow.Date32FromTime(t))
	case *array.TimestampBuilder:
		if v.kind != jsonString {
			return notFit(v, c.typ)
		}
		t, ok := parseTime(string(r.stringBytes(v)))
		if !ok {
			return errors.New("a string that is not an RFC 3339 timestamp")
		}
		ts, err := arrow.TimestampFromTime(t, c.typ.(*arrow.TimestampType).Unit)
		if err != nil {
			return fmt.Errorf("a timestamp out of the range of type %s", c.typ)
		}
		b.Append(ts)
	case *array.Decimal128Builder, *array.Decimal256Builder:
		var s string
		switch v.kind {
		case jsonNumber:
			s = string(raw)
		case jsonString:
			s = string(r.stringBytes(v))
		default:
			return notFit(v, c.typ)
		}
		dt := c.typ.(arrow.DecimalType)
		switch b := b.(type) {
		case *array.Decimal128Builder:
			n, err := decimal128.FromString(s, dt.GetPrecision(), dt.GetScale())
			if err != nil {
				return fmt.Errorf("a value that does not fit type %s", c.typ)
			}
			b.Append(n)
		case *array.Decimal256Builder:
			n, err := decimal256.FromString(s, dt.GetPrecision(), dt.GetScale())
			if err != nil {
				return fmt.Errorf("a value that does not fit type %s", c.typ)
			}
			b.Append(n)
		}
	default:
		return fmt.Errorf("type %s is not supported for JSON input", c.typ)
	}
	return nil
}

// parseTime accepts RFC 3339 with or without a zone (no zone means UTC), with
// 'T' or a space between date and time.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var jsonKindNames = [...]string{"null", "boolean", "number", "string", "object", "array"}

func notFit(v *jsonValue, t arrow.DataType) error {
	return fmt.Errorf("a JSON %s does not fit the column's type %s", jsonKindNames[v.kind], t)
}

func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// parseInt64Bytes parses a JSON integer literal; ok is false on overflow.
func parseInt64Bytes(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// parseFloatBytes parses a JSON number as strconv.ParseFloat does. Numbers
// without an exponent and with at most 15 digits take a shortcut: the digits
// as an integer are exact in a float64, and so is 10^k for k <= 15, so one
// correctly rounded division gives the correctly rounded value (the exact
// case of strconv, without its general scanning).
func parseFloatBytes(b []byte) (float64, error) {
	neg := len(b) > 0 && b[0] == '-'
	digits, frac := 0, -1
	var m uint64
	for i := int(b2i(neg)); i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
		case c == '.' && frac < 0:
			frac = 0
			continue
		default:
			return strconv.ParseFloat(unsafeString(b), 64)
		}
		if frac >= 0 {
			frac++
		}
	}
	if digits == 0 || digits > 15 {
		return strconv.ParseFloat(unsafeString(b), 64)
	}
	f := float64(m)
	if frac > 0 {
		f /= float64pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, nil
}

// float64pow10 holds the powers of ten that are exact in a float64 and that
// parseFloatBytes divides by.
var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

func b2i(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// keyLooksLikeData returns an error, which does not quote the key, when the
// key of member fi is shaped like personal data (see
// [ReadOptions.HeaderCheck]): objects keyed by email address or phone
// number hold data in their keys, which would otherwise become column names
// and be printed.
func (r *jsonDecoder) keyLooksLikeData(key []byte, fi int, line, row int64) error {
	if r.check == nil {
		return nil
	}
	kind := r.check(string(key))
	if kind == "" {
		return nil
	}
	return &ParseError{File: r.name, Line: line, Row: row,
		Err: fmt.Errorf("key %d of the object: %s looks like data, not a column name "+
			"(objects keyed by data cannot be read as columns)", fi+1, kind)}
}

// This file holds the columns of the JSON readers and the appending of
// parsed values to their Arrow builders, including the conversion to
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
	b        array.Builder

	// Inference state.
	cat      jsonCategory
	hasFloat bool
	hasBig   bool
	conflict *ParseError

	// Per-record state: the field index holding this column's value in the
	// record with stamp seen.
	seen  int64
	field int
}

// appendRecord parses one record and appends it to the builders.
func (r *jsonReader) appendRecord(raw []byte, line int64) error {
	if err := r.p.parseObject(raw); err != nil {
		return r.syntaxError(err)
	}
	r.stamp++
	for fi := range r.p.fields {
		f := &r.p.fields[fi]
		key := r.key(f)
		idx, ok := r.index[string(key)]
		if !ok {
			return &ParseError{File: r.opt.Name, Line: line, Row: r.row, Column: string(key),
				Err: fmt.Errorf("key not seen in the first %d records used to infer the schema; "+
					"declare its type", min(r.opt.BatchSize, inferRecords))}
		}
		c := r.cols[idx]
		c.seen, c.field = r.stamp, fi
	}
	for _, c := range r.cols {
		if c.seen != r.stamp {
			c.b.AppendNull()
			continue
		}
		v := &r.p.fields[c.field].val
		if v.kind == jsonNull {
			c.b.AppendNull()
			continue
		}
		if err := r.appendValue(c, v); err != nil {
			return &ParseError{File: r.opt.Name, Line: line, Row: r.row, Column: c.name, Err: err}
		}
	}
	return nil
}

// appendValue appends a non-null value to c's builder.
func (r *jsonReader) appendValue(c *jsonColumn, v *jsonValue) error {
	switch c.kind {
	case colBool:
		if v.kind != jsonBool {
			return notFit(v, c.typ)
		}
		c.b.(*array.BooleanBuilder).Append(v.raw[0] == 't')
	case colInt64:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		if v.frac {
			return errors.New("a number with a fraction or exponent does not fit type int64")
		}
		n, ok := parseInt64Bytes(v.raw)
		if !ok {
			return errors.New("an integer out of the range of type int64")
		}
		c.b.(*array.Int64Builder).Append(n)
	case colFloat64:
		if v.kind != jsonNumber {
			return notFit(v, c.typ)
		}
		f, err := parseFloatBytes(v.raw)
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
		r.appendText(c, v.raw)
	case colJSONText:
		if v.kind != jsonObject && v.kind != jsonArray {
			return notFit(v, c.typ)
		}
		r.scratch = appendCompact(r.scratch[:0], v.raw)
		r.appendText(c, r.scratch)
	case colAnyText:
		switch v.kind {
		case jsonString:
			r.appendText(c, r.stringBytes(v))
		case jsonObject, jsonArray:
			r.scratch = appendCompact(r.scratch[:0], v.raw)
			r.appendText(c, r.scratch)
		default:
			r.appendText(c, v.raw)
		}
	default:
		return r.convert(c, v)
	}
	return nil
}

func (r *jsonReader) appendText(c *jsonColumn, b []byte) {
	switch bb := c.b.(type) {
	case *array.StringBuilder:
		bb.BinaryBuilder.Append(b)
	case *array.LargeStringBuilder:
		bb.BinaryBuilder.Append(b)
	}
}

// stringBytes returns the unescaped content of a string value, valid until
// the next call.
func (r *jsonReader) stringBytes(v *jsonValue) []byte {
	if !v.esc {
		return v.raw
	}
	r.scratch = appendUnescaped(r.scratch[:0], v.raw)
	return r.scratch
}

// convert appends a value to a declared column of a type other than
// bool, int64, float64 and utf8.
func (r *jsonReader) convert(c *jsonColumn, v *jsonValue) error {
	switch b := c.b.(type) {
	case *array.Int8Builder, *array.Int16Builder, *array.Int32Builder:
		if v.kind != jsonNumber || v.frac {
			return notFit(v, c.typ)
		}
		n, ok := parseInt64Bytes(v.raw)
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
		n, err := strconv.ParseUint(unsafeString(v.raw), 10, 64)
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
		f, err := strconv.ParseFloat(unsafeString(v.raw), 32)
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
			s = string(v.raw)
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

func parseFloatBytes(b []byte) (float64, error) {
	return strconv.ParseFloat(unsafeString(b), 64)
}

package formats

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/float16"
)

// ndjsonWriter writes one JSON object per row, keys in schema order, either
// one per line (NDJSON) or as the elements of one JSON array.
type ndjsonWriter struct {
	w       *bufio.Writer
	name    string
	schema  *arrow.Schema
	keys    [][]byte // `"key":` for each field, with a leading ',' after the first
	asArray bool
	rows    int64
	buf     []byte
	closed  bool
}

// newNDJSONWriter returns a writer of NDJSON, or of a JSON array when asArray
// is set.
func newNDJSONWriter(w io.Writer, schema *arrow.Schema, opt WriteOptions,
	asArray bool) (Writer, error) {
	nw := &ndjsonWriter{
		w:       bufio.NewWriterSize(w, 256<<10),
		name:    opt.Name,
		schema:  schema,
		asArray: asArray,
	}
	for i, f := range schema.Fields() {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = appendJSONString(k, f.Name)
		nw.keys = append(nw.keys, append(k, ':'))
	}
	return nw, nil
}

// Write implements Writer.
func (w *ndjsonWriter) Write(rec arrow.RecordBatch) error {
	if w.closed {
		return errors.New("write to a closed writer")
	}
	if int(rec.NumCols()) != len(w.keys) {
		return fmt.Errorf("write %s: batch has %d columns, schema has %d",
			w.name, rec.NumCols(), len(w.keys))
	}
	encs := make([]valueEncoder, rec.NumCols())
	for j, col := range rec.Columns() {
		encs[j] = newValueEncoder(col, w.schema.Field(j))
	}

	for i := 0; i < int(rec.NumRows()); i++ {
		b := w.buf[:0]
		switch {
		case !w.asArray:
		case w.rows == 0:
			b = append(b, '[')
		default:
			b = append(b, ",\n"...)
		}
		b = append(b, '{')
		for j, enc := range encs {
			b = append(b, w.keys[j]...)
			var err error
			if b, err = enc(b, i); err != nil {
				return fmt.Errorf("write %s: column %q: %w", w.name, w.schema.Field(j).Name, err)
			}
		}
		b = append(b, '}')
		if !w.asArray {
			b = append(b, '\n')
		}
		w.buf = b
		if _, err := w.w.Write(b); err != nil {
			return fmt.Errorf("write %s: %w", w.name, err)
		}
		w.rows++
	}
	return nil
}

// Close implements Writer: it ends the array, if any, and flushes.
func (w *ndjsonWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.asArray {
		end := "]\n"
		if w.rows == 0 {
			end = "[]\n"
		}
		w.w.WriteString(end)
	}
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", w.name, err)
	}
	return nil
}

// valueEncoder appends the JSON form of row i of one column.
type valueEncoder func(dst []byte, i int) ([]byte, error)

// newValueEncoder returns the encoder for one column of a batch.
func newValueEncoder(col arrow.Array, field arrow.Field) valueEncoder {
	enc := typedEncoder(col, field)
	return func(dst []byte, i int) ([]byte, error) {
		if col.IsNull(i) {
			return append(dst, "null"...), nil
		}
		return enc(dst, i)
	}
}

func typedEncoder(col arrow.Array, field arrow.Field) valueEncoder {
	kind, _ := field.Metadata.GetValue(JSONKindKey)

	switch a := col.(type) {
	case *array.Null:
		return func(dst []byte, _ int) ([]byte, error) { return append(dst, "null"...), nil }
	case *array.Boolean:
		return encodeWith(a, strconv.AppendBool)
	case *array.Int8:
		return encodeWith(a, appendIntJSON[int8])
	case *array.Int16:
		return encodeWith(a, appendIntJSON[int16])
	case *array.Int32:
		return encodeWith(a, appendIntJSON[int32])
	case *array.Int64:
		return encodeWith(a, appendIntJSON[int64])
	case *array.Uint8:
		return encodeWith(a, appendUintJSON[uint8])
	case *array.Uint16:
		return encodeWith(a, appendUintJSON[uint16])
	case *array.Uint32:
		return encodeWith(a, appendUintJSON[uint32])
	case *array.Uint64:
		return encodeWith(a, appendUintJSON[uint64])
	case *array.Float16:
		return encodeWith(a, func(dst []byte, v float16.Num) []byte {
			return appendJSONFloat(dst, float64(v.Float32()), 32)
		})
	case *array.Float32:
		return encodeWith(a, func(dst []byte, v float32) []byte {
			return appendJSONFloat(dst, float64(v), 32)
		})
	case *array.Float64:
		return encodeWith(a, func(dst []byte, v float64) []byte {
			return appendJSONFloat(dst, v, 64)
		})
	case *array.String:
		return encodeWith(a, textAppender(kind))
	case *array.LargeString:
		return encodeWith(a, textAppender(kind))
	case *array.StringView:
		return encodeWith(a, textAppender(kind))
	case *array.Binary:
		return encodeWith(a, appendBase64)
	case *array.LargeBinary:
		return encodeWith(a, appendBase64)
	case *array.BinaryView:
		return encodeWith(a, appendBase64)
	case *array.FixedSizeBinary:
		return encodeWith(a, appendBase64)
	case *array.Date32:
		return encodeWith(a, func(dst []byte, v arrow.Date32) []byte {
			return appendTime(dst, v.ToTime(), time.DateOnly)
		})
	case *array.Date64:
		return encodeWith(a, func(dst []byte, v arrow.Date64) []byte {
			return appendTime(dst, v.ToTime(), time.DateOnly)
		})
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		layout := "2006-01-02T15:04:05.999999999"
		loc := time.UTC
		if tt.TimeZone != "" {
			layout = time.RFC3339Nano
			z, err := tt.GetZone()
			if err != nil {
				return func([]byte, int) ([]byte, error) {
					return nil, errors.New("the column's time zone is not valid")
				}
			}
			loc = z
		}
		return encodeWith(a, func(dst []byte, v arrow.Timestamp) []byte {
			return appendTime(dst, v.ToTime(tt.Unit).In(loc), layout)
		})
	case *array.Time32, *array.Time64:
		return func(dst []byte, i int) ([]byte, error) {
			return appendJSONString(dst, col.ValueStr(i)), nil
		}
	case *array.Decimal32, *array.Decimal64, *array.Decimal128, *array.Decimal256:
		return func(dst []byte, i int) ([]byte, error) {
			s := col.ValueStr(i)
			if isJSONNumber(s) {
				return append(dst, s...), nil
			}
			return appendJSONString(dst, s), nil
		}
	}

	// Lists, structs, maps, dictionaries, durations, intervals, extensions.
	var bb bytes.Buffer
	je := json.NewEncoder(&bb)
	je.SetEscapeHTML(false)
	return func(dst []byte, i int) ([]byte, error) {
		bb.Reset()
		if err := je.Encode(col.GetOneForMarshal(i)); err != nil {
			return nil, fmt.Errorf("cannot encode a value of type %s as JSON", col.DataType())
		}
		return append(dst, bytes.TrimRight(bb.Bytes(), "\n")...), nil
	}
}

// valuer is an array with typed values.
type valuer[T any] interface {
	Value(i int) T
}

// encodeWith returns an encoder that appends a.Value(i) with f.
func encodeWith[T any](a valuer[T], f func([]byte, T) []byte) valueEncoder {
	return func(dst []byte, i int) ([]byte, error) { return f(dst, a.Value(i)), nil }
}

func appendIntJSON[T int8 | int16 | int32 | int64](dst []byte, v T) []byte {
	return strconv.AppendInt(dst, int64(v), 10)
}

func appendUintJSON[T uint8 | uint16 | uint32 | uint64](dst []byte, v T) []byte {
	return strconv.AppendUint(dst, uint64(v), 10)
}

// textAppender returns appendText for fields of the given JSONKindKey value.
func textAppender(kind string) func([]byte, string) []byte {
	return func(dst []byte, s string) []byte { return appendText(dst, s, kind) }
}

// appendText writes a utf8 value: as a JSON string, or unquoted when the
// field is marked as holding JSON text and the value still is valid.
func appendText(dst []byte, s, kind string) []byte {
	switch kind {
	case JSONKindNumber:
		if isJSONNumber(s) {
			return append(dst, s...)
		}
	case JSONKindText:
		if len(s) > 0 && (s[0] == '{' || s[0] == '[') && json.Valid([]byte(s)) {
			return appendCompact(dst, []byte(s))
		}
	}
	return appendJSONString(dst, s)
}

func appendTime(dst []byte, t time.Time, layout string) []byte {
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, layout)
	return append(dst, '"')
}

func appendBase64(dst, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

// appendJSONFloat writes the shortest text that reads back as the same float, as
// encoding/json does, except that an integral value gets ".0" so that it
// reads back as a float. NaN and infinities become null.
func appendJSONFloat(dst []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(dst); n-start >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
		return dst
	}
	if bytes.IndexByte(dst[start:], '.') < 0 {
		dst = append(dst, ".0"...)
	}
	return dst
}

// isJSONNumber reports whether s is exactly one JSON number.
func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	p := jsonParser{b: []byte(s)}
	if s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return false
	}
	_, err := p.number()
	return err == nil && p.i == len(s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json does
// without HTML escaping: quotes, backslashes and control characters are
// escaped, invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029 are escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

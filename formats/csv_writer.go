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

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// errCSVNull tells the writer that a value is null although its slot in the
// array is valid (a dictionary entry that is null).
var errCSVNull = errors.New("null value")

// csvWriteBufferSize is the size of the buffered writer.
const csvWriteBufferSize = 64 * 1024

// csvNaiveTimeLayout formats timestamps of types without a time zone.
const csvNaiveTimeLayout = "2006-01-02T15:04:05.999999999"

// csvCell returns the text of the non-null value i of a column.
type csvCell func(i int) ([]byte, error)

// csvWriter writes record batches as RFC 4180 CSV.
//
// A null is written as an empty unquoted field and an empty string as "", so
// that the reader tells them apart again. A field is quoted when it holds the
// delimiter, the quote, CR or LF, starts or ends with a space, or starts with
// a byte order mark; quotes inside it are doubled.
type csvWriter struct {
	textSink
	schema *arrow.Schema
	d      csvDialect

	// special marks the bytes that force quoting.
	special [256]bool

	// row holds the text of the row being written.
	row []byte

	// scratch holds the text of one typed value.
	scratch []byte

	// jsonBuf and enc format nested values as JSON.
	jsonBuf bytes.Buffer
	enc     *json.Encoder
}

// newCSVWriter returns a CSV writer to w; the header (unless
// opt.CSV.NoHeader) is written at once.
func newCSVWriter(w io.Writer, schema *arrow.Schema, opt WriteOptions) (Writer, error) {
	d, err := newCSVDialect(opt.CSV)
	if err != nil {
		return nil, err
	}
	cw := &csvWriter{
		textSink: textSink{w: bufio.NewWriterSize(w, csvWriteBufferSize), name: opt.Name},
		schema:   schema,
		d:        d,
	}
	for _, c := range []byte{d.delim, d.quote, '\r', '\n'} {
		cw.special[c] = true
	}
	cw.enc = json.NewEncoder(&cw.jsonBuf)
	cw.enc.SetEscapeHTML(false)

	if !opt.CSV.NoHeader {
		for j, f := range schema.Fields() {
			if j > 0 {
				cw.row = append(cw.row, d.delim)
			}
			cw.row = cw.appendField(cw.row, []byte(f.Name))
		}
		cw.row = append(cw.row, '\n')
		if err := cw.flushRow(); err != nil {
			return nil, err
		}
	}
	return cw, nil
}

// Write implements [Writer].
func (w *csvWriter) Write(rec arrow.RecordBatch) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("csv writer is closed")
	}
	if int(rec.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("write %s: batch has %d columns, schema has %d",
			w.name, rec.NumCols(), w.schema.NumFields())
	}

	cols := rec.Columns()
	cells := make([]csvCell, len(cols))
	for j, c := range cols {
		cell, err := w.cellFormatter(c)
		if err != nil {
			return fmt.Errorf("write %s: column %q: %w", w.name, w.schema.Field(j).Name, err)
		}
		cells[j] = cell
	}

	for i := range int(rec.NumRows()) {
		for j, c := range cols {
			if j > 0 {
				w.row = append(w.row, w.d.delim)
			}
			if c.IsNull(i) {
				continue
			}
			v, err := cells[j](i)
			if err == errCSVNull {
				continue
			}
			if err != nil {
				return fmt.Errorf("write %s: row %d: column %q: %w",
					w.name, i+1, w.schema.Field(j).Name, err)
			}
			w.row = w.appendField(w.row, v)
		}
		w.row = append(w.row, '\n')
		if len(w.row) >= csvWriteBufferSize {
			if err := w.flushRow(); err != nil {
				return err
			}
		}
	}
	return w.flushRow()
}

// flushRow hands the text in row to the buffered writer.
func (w *csvWriter) flushRow() error {
	_, err := w.w.Write(w.row)
	w.row = w.row[:0]
	if err != nil {
		w.err = fmt.Errorf("write %s: %w", w.name, err)
	}
	return w.err
}

// Close implements [Writer]. It flushes the buffered text but does not close
// the underlying io.Writer.
func (w *csvWriter) Close() error {
	return w.close()
}

// appendField appends v to dst, quoted if it needs to be.
func (w *csvWriter) appendField(dst, v []byte) []byte {
	if !w.needsQuotes(v) {
		return append(dst, v...)
	}
	q := w.d.quote
	dst = append(dst, q)
	for {
		i := bytes.IndexByte(v, q)
		if i < 0 {
			break
		}
		dst = append(dst, v[:i+1]...)
		dst = append(dst, q)
		v = v[i+1:]
	}
	dst = append(dst, v...)
	return append(dst, q)
}

// needsQuotes reports whether v must be quoted to be read back the same.
// Quoting is minimal, so that a CSV copy of a CSV file is byte for byte the
// same: leading and trailing spaces are data in RFC 4180 and stay unquoted.
func (w *csvWriter) needsQuotes(v []byte) bool {
	if len(v) == 0 || bytes.HasPrefix(v, csvBOM) {
		return true
	}
	for _, c := range v {
		if w.special[c] {
			return true
		}
	}
	return false
}

// csvBOM is the UTF-8 byte order mark, which the reader strips from the
// start of the input.
var csvBOM = []byte{0xEF, 0xBB, 0xBF}

// cellFormatter returns the function that formats the values of arr.
func (w *csvWriter) cellFormatter(arr arrow.Array) (csvCell, error) {
	switch a := arr.(type) {
	case *array.String:
		offs, data := a.ValueOffsets(), a.ValueBytes()
		base := offs[0]
		return func(i int) ([]byte, error) {
			return data[offs[i]-base : offs[i+1]-base], nil
		}, nil
	case *array.LargeString:
		return func(i int) ([]byte, error) { return w.text(a.Value(i)), nil }, nil
	case *array.StringView:
		return func(i int) ([]byte, error) { return w.text(a.Value(i)), nil }, nil
	case *array.Int8:
		return w.intCell(func(i int) int64 { return int64(a.Value(i)) }), nil
	case *array.Int16:
		return w.intCell(func(i int) int64 { return int64(a.Value(i)) }), nil
	case *array.Int32:
		return w.intCell(func(i int) int64 { return int64(a.Value(i)) }), nil
	case *array.Int64:
		return w.intCell(a.Value), nil
	case *array.Uint8:
		return w.uintCell(func(i int) uint64 { return uint64(a.Value(i)) }), nil
	case *array.Uint16:
		return w.uintCell(func(i int) uint64 { return uint64(a.Value(i)) }), nil
	case *array.Uint32:
		return w.uintCell(func(i int) uint64 { return uint64(a.Value(i)) }), nil
	case *array.Uint64:
		return w.uintCell(a.Value), nil
	case *array.Float32:
		return func(i int) ([]byte, error) {
			w.scratch = appendCSVFloat(w.scratch[:0], float64(a.Value(i)), 32)
			return w.scratch, nil
		}, nil
	case *array.Float64:
		return func(i int) ([]byte, error) {
			w.scratch = appendCSVFloat(w.scratch[:0], a.Value(i), 64)
			return w.scratch, nil
		}, nil
	case *array.Boolean:
		return func(i int) ([]byte, error) {
			w.scratch = strconv.AppendBool(w.scratch[:0], a.Value(i))
			return w.scratch, nil
		}, nil
	case *array.Date32:
		return func(i int) ([]byte, error) {
			w.scratch = a.Value(i).ToTime().AppendFormat(w.scratch[:0], time.DateOnly)
			return w.scratch, nil
		}, nil
	case *array.Date64:
		return func(i int) ([]byte, error) {
			w.scratch = a.Value(i).ToTime().AppendFormat(w.scratch[:0], time.DateOnly)
			return w.scratch, nil
		}, nil
	case *array.Timestamp:
		return w.timestampCell(a)
	case *array.Binary:
		return w.base64Cell(a.Value), nil
	case *array.LargeBinary:
		return w.base64Cell(a.Value), nil
	case *array.FixedSizeBinary:
		return w.base64Cell(a.Value), nil
	case *array.List, *array.LargeList, *array.FixedSizeList, *array.ListView,
		*array.LargeListView, *array.Struct, *array.Map:
		return w.jsonCell(arr), nil
	case *array.Dictionary:
		inner, err := w.cellFormatter(a.Dictionary())
		if err != nil {
			return nil, err
		}
		dict := a.Dictionary()
		return func(i int) ([]byte, error) {
			k := a.GetValueIndex(i)
			if dict.IsNull(k) {
				return nil, errCSVNull
			}
			return inner(k)
		}, nil
	}
	return func(i int) ([]byte, error) { return w.text(arr.ValueStr(i)), nil }, nil
}

// text copies s into the scratch buffer.
func (w *csvWriter) text(s string) []byte {
	w.scratch = append(w.scratch[:0], s...)
	return w.scratch
}

func (w *csvWriter) intCell(value func(int) int64) csvCell {
	return func(i int) ([]byte, error) {
		w.scratch = strconv.AppendInt(w.scratch[:0], value(i), 10)
		return w.scratch, nil
	}
}

func (w *csvWriter) uintCell(value func(int) uint64) csvCell {
	return func(i int) ([]byte, error) {
		w.scratch = strconv.AppendUint(w.scratch[:0], value(i), 10)
		return w.scratch, nil
	}
}

func (w *csvWriter) base64Cell(value func(int) []byte) csvCell {
	return func(i int) ([]byte, error) {
		w.scratch = base64.StdEncoding.AppendEncode(w.scratch[:0], value(i))
		return w.scratch, nil
	}
}

// appendCSVFloat formats f in the shortest form that reads back the same, with
// NaN, +Inf and -Inf for the special values.
func appendCSVFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-Inf"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// timestampCell formats timestamps as RFC 3339 with the fraction trimmed:
// in the type's time zone with its offset (Z for UTC) when the type has one,
// and without any zone when it has none.
func (w *csvWriter) timestampCell(a *array.Timestamp) (csvCell, error) {
	tt := a.DataType().(*arrow.TimestampType)
	unit := tt.Unit
	if tt.TimeZone == "" {
		return func(i int) ([]byte, error) {
			w.scratch = a.Value(i).ToTime(unit).AppendFormat(w.scratch[:0], csvNaiveTimeLayout)
			return w.scratch, nil
		}, nil
	}
	loc, err := tt.GetZone()
	if err != nil {
		return nil, err
	}
	return func(i int) ([]byte, error) {
		t := a.Value(i).ToTime(unit).In(loc)
		w.scratch = t.AppendFormat(w.scratch[:0], time.RFC3339Nano)
		return w.scratch, nil
	}, nil
}

// jsonCell formats nested values as compact JSON.
func (w *csvWriter) jsonCell(arr arrow.Array) csvCell {
	return func(i int) ([]byte, error) {
		w.jsonBuf.Reset()
		if err := w.enc.Encode(arr.GetOneForMarshal(i)); err != nil {
			// The encoder's message may quote the value, so it is not kept.
			return nil, errors.New("nested value cannot be written as JSON")
		}
		return bytes.TrimSuffix(w.jsonBuf.Bytes(), []byte{'\n'}), nil
	}
}

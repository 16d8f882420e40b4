package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// JSONKindKey is the field metadata key the JSON readers set on utf8 columns
// whose text is JSON rather than a JSON string: [JSONKindNumber] for numbers
// too large for int64 or float64, kept as their exact text, and [JSONKindText]
// for nested objects and arrays, kept as compact JSON text. The NDJSON writer
// writes such values back unquoted when they are still valid, so they survive
// a read and write unchanged.
const JSONKindKey = "anon.json"

// Values of [JSONKindKey].
const (
	JSONKindNumber = "number"
	JSONKindText   = "json"
)

const (
	// inferRecords bounds the records buffered for schema inference.
	inferRecords = 10000

	// maxJSONDepth bounds the nesting of objects and arrays, as encoding/json
	// does.
	maxJSONDepth = 10000
)

// newNDJSONReader reads newline-delimited JSON objects, one per line.
func newNDJSONReader(r io.Reader, opt ReadOptions) (Reader, error) {
	src := &lineSource{r: bufio.NewReaderSize(r, 256<<10), name: opt.Name}
	return newJSONRecordReader(src, opt, false)
}

// recordSource yields the bytes of one JSON object at a time.
type recordSource interface {
	// next returns the next record and the line it starts on, or io.EOF.
	// The bytes are valid until the next call.
	next() (raw []byte, line int64, err error)

	// position returns the line and byte (both 1-based) of offset off in the
	// record last returned.
	position(off int) (line int64, col int)
}

// lineSource splits NDJSON input into lines, skipping blank ones.
type lineSource struct {
	r    *bufio.Reader
	name string
	line int64
	cur  int64
	buf  []byte
}

func (s *lineSource) next() ([]byte, int64, error) {
	for {
		b, err := s.readLine()
		if len(b) == 0 && err != nil {
			if err != io.EOF {
				err = fmt.Errorf("read %s: %w", s.name, err)
			}
			return nil, 0, err
		}
		s.line++
		if s.line == 1 {
			b = bytes.TrimPrefix(b, jsonBOM)
		}
		if isJSONSpace(b) {
			continue
		}
		s.cur = s.line
		return b, s.line, nil
	}
}

func (s *lineSource) position(off int) (int64, int) {
	return s.cur, off + 1
}

// readLine returns the next line without its '\n'. It returns data with
// io.EOF only for a last line without a newline.
func (s *lineSource) readLine() ([]byte, error) {
	b, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.buf = append(s.buf[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = s.r.ReadSlice('\n')
			s.buf = append(s.buf, b...)
		}
		b = s.buf
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1], nil
	}
	return b, err
}

var jsonBOM = []byte{0xEF, 0xBB, 0xBF}

func isJSONSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

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

// jsonCategory is the broad JSON type seen during inference.
type jsonCategory uint8

const (
	catNone jsonCategory = iota
	catBool
	catNumber
	catString
	catNested
)

var categoryNames = [...]string{"null", "boolean", "number", "string", "object or array"}

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

// jsonReader decodes JSON objects from a recordSource into Arrow batches.
type jsonReader struct {
	opt    ReadOptions
	mem    memory.Allocator
	src    recordSource
	p      jsonParser
	schema *arrow.Schema
	cols   []*jsonColumn
	index  map[string]int

	// Records buffered for inference, replayed first.
	pending    []byte
	pendingOff []int
	pendingLn  []int64
	pendingPos int

	row     int64
	stamp   int64
	cur     arrow.RecordBatch
	err     error
	done    bool
	scratch []byte
	keyBuf  []byte
	replay  bool
}

// newJSONRecordReader infers the schema from the first records of src and
// returns a reader that replays them. allowEmpty accepts an input without
// any record.
func newJSONRecordReader(src recordSource, opt ReadOptions, allowEmpty bool) (*jsonReader, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	r := &jsonReader{opt: opt, mem: opt.Mem, src: src, index: map[string]int{}}
	if r.mem == nil {
		r.mem = memory.DefaultAllocator
	}
	if err := r.infer(); err != nil {
		return nil, err
	}
	if len(r.pendingOff) == 0 && !allowEmpty {
		return nil, &ParseError{File: opt.Name, Err: errors.New("no JSON records in the input")}
	}
	if err := r.build(); err != nil {
		return nil, err
	}
	return r, nil
}

// infer reads up to min(BatchSize, inferRecords) records, keeps a copy of
// them and settles each column's type.
func (r *jsonReader) infer() error {
	limit := min(r.opt.BatchSize, inferRecords)
	for len(r.pendingOff) < limit {
		raw, line, err := r.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		r.row++
		if err := r.p.parseObject(raw); err != nil {
			return r.syntaxError(err)
		}
		r.pendingOff = append(r.pendingOff, len(r.pending))
		r.pendingLn = append(r.pendingLn, line)
		r.pending = append(r.pending, raw...)

		for fi := range r.p.fields {
			f := &r.p.fields[fi]
			key := r.key(f)
			idx, ok := r.index[string(key)]
			if !ok {
				idx = len(r.cols)
				name := string(key)
				r.index[name] = idx
				r.cols = append(r.cols, &jsonColumn{name: name})
			}
			c := r.cols[idx]
			if err := c.observe(&f.val); err != nil && c.conflict == nil {
				c.conflict = &ParseError{File: r.opt.Name, Line: line, Row: r.row, Column: c.name,
					Err: err}
			}
		}
	}
	r.pendingOff = append(r.pendingOff, len(r.pending))

	// Declared types win; declared columns never seen are appended, sorted.
	var extra []string
	for name := range r.opt.ColumnTypes {
		if _, ok := r.index[name]; !ok {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		r.index[name] = len(r.cols)
		r.cols = append(r.cols, &jsonColumn{name: name})
	}
	var conflict *ParseError
	for _, c := range r.cols {
		if t, ok := r.opt.ColumnTypes[c.name]; ok {
			if err := c.declare(t); err != nil {
				return err
			}
			continue
		}
		if c.conflict != nil && (conflict == nil || c.conflict.Row < conflict.Row) {
			conflict = c.conflict
		}
		c.settle()
	}
	if conflict != nil {
		return conflict
	}
	r.pendingOff = r.pendingOff[:len(r.pendingOff)-1]
	r.row = 0
	r.replay = true
	return nil
}

// observe records the category of one value during inference.
func (c *jsonColumn) observe(v *jsonValue) error {
	var cat jsonCategory
	switch v.kind {
	case jsonNull:
		return nil
	case jsonBool:
		cat = catBool
	case jsonNumber:
		cat = catNumber
		if v.frac {
			f, err := parseFloatBytes(v.raw)
			if err != nil || math.IsInf(f, 0) {
				c.hasBig = true
			}
			c.hasFloat = true
		} else if _, ok := parseInt64Bytes(v.raw); !ok {
			c.hasBig = true
		}
	case jsonString:
		cat = catString
	default:
		cat = catNested
	}
	if c.cat == catNone {
		c.cat = cat
		return nil
	}
	if c.cat != cat {
		return fmt.Errorf("mixed JSON types in one column (%s, then %s); "+
			"declare the column's type", categoryNames[c.cat], categoryNames[cat])
	}
	return nil
}

// settle picks the inferred type.
func (c *jsonColumn) settle() {
	switch c.cat {
	case catBool:
		c.kind, c.typ = colBool, arrow.FixedWidthTypes.Boolean
	case catNumber:
		switch {
		case c.hasBig:
			c.kind, c.typ, c.meta = colNumText, arrow.BinaryTypes.String, JSONKindNumber
		case c.hasFloat:
			c.kind, c.typ = colFloat64, arrow.PrimitiveTypes.Float64
		default:
			c.kind, c.typ = colInt64, arrow.PrimitiveTypes.Int64
		}
	case catNested:
		c.kind, c.typ, c.meta = colJSONText, arrow.BinaryTypes.String, JSONKindText
	default:
		c.kind, c.typ = colString, arrow.BinaryTypes.String
	}
}

// declare sets a type given in ReadOptions.ColumnTypes.
func (c *jsonColumn) declare(t arrow.DataType) error {
	c.typ, c.declared = t, true
	switch t.ID() {
	case arrow.BOOL:
		c.kind = colBool
	case arrow.INT64:
		c.kind = colInt64
	case arrow.FLOAT64:
		c.kind = colFloat64
	case arrow.STRING, arrow.LARGE_STRING:
		c.kind = colAnyText
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.UINT64, arrow.FLOAT32, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL128,
		arrow.DECIMAL256:
		c.kind = colDeclared
	default:
		return fmt.Errorf("column %q: type %s is not supported for JSON input", c.name, t)
	}
	return nil
}

// build makes the schema and the builders.
func (r *jsonReader) build() error {
	fields := make([]arrow.Field, len(r.cols))
	for i, c := range r.cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		if c.meta != "" {
			fields[i].Metadata = arrow.NewMetadata([]string{JSONKindKey}, []string{c.meta})
		}
		c.b = array.NewBuilder(r.mem, c.typ)
		c.seen = -1
	}
	r.schema = arrow.NewSchema(fields, nil)
	return nil
}

// key returns the unescaped key of f, valid until the next call.
func (r *jsonReader) key(f *jsonField) []byte {
	if !f.keyEsc {
		return f.key
	}
	r.keyBuf = appendUnescaped(r.keyBuf[:0], f.key)
	return r.keyBuf
}

// Schema implements Reader.
func (r *jsonReader) Schema() *arrow.Schema { return r.schema }

// RecordBatch implements Reader.
func (r *jsonReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Err implements Reader.
func (r *jsonReader) Err() error { return r.err }

// Close implements Reader.
func (r *jsonReader) Close() error {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	for _, c := range r.cols {
		if c.b != nil {
			c.b.Release()
			c.b = nil
		}
	}
	r.done = true
	return nil
}

// Next implements Reader.
func (r *jsonReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil || r.done {
		return false
	}
	for _, c := range r.cols {
		c.b.Reserve(r.opt.BatchSize)
	}

	n := 0
	for n < r.opt.BatchSize {
		raw, line, err := r.nextRaw()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			r.fail(err)
			return false
		}
		r.row++
		if err := r.appendRecord(raw, line); err != nil {
			r.fail(err)
			return false
		}
		n++
	}
	if n == 0 {
		return false
	}

	arrs := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		arrs[i] = c.b.NewArray()
	}
	r.cur = array.NewRecordBatch(r.schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return true
}

// nextRaw returns the buffered records first, then reads on.
func (r *jsonReader) nextRaw() ([]byte, int64, error) {
	if r.replay {
		if r.pendingPos < len(r.pendingOff) {
			i := r.pendingPos
			r.pendingPos++
			end := len(r.pending)
			if i+1 < len(r.pendingOff) {
				end = r.pendingOff[i+1]
			}
			return r.pending[r.pendingOff[i]:end], r.pendingLn[i], nil
		}
		r.replay = false
		r.pending, r.pendingOff, r.pendingLn = nil, nil, nil
	}
	return r.src.next()
}

// fail stops the reader and drops the rows of the unfinished batch.
func (r *jsonReader) fail(err error) {
	r.err = err
	for _, c := range r.cols {
		c.b.NewArray().Release()
	}
}

// syntaxError turns a parser error into a ParseError at the right line.
func (r *jsonReader) syntaxError(err error) error {
	var se *jsonSyntaxError
	if !errors.As(err, &se) {
		return err
	}
	line, col := r.posOf(se.off)
	if se.msg == msgNotObject {
		return &ParseError{File: r.opt.Name, Line: line, Row: r.row, Err: errors.New(msgNotObject)}
	}
	return &ParseError{File: r.opt.Name, Line: line, Row: r.row,
		Err: fmt.Errorf("invalid JSON at byte %d: %s", col, se.msg)}
}

func (r *jsonReader) posOf(off int) (int64, int) {
	if r.replay {
		// Replayed records were parsed once already; this cannot happen
		// for syntax, only for values, which carry no byte offset.
		return r.pendingLn[max(r.pendingPos-1, 0)], off + 1
	}
	return r.src.position(off)
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

// jsonValueKind is the JSON type of a parsed value.
type jsonValueKind uint8

const (
	jsonNull jsonValueKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonObject
	jsonArray
)

// jsonValue is one member value of a parsed object. raw points into the
// parsed bytes: a string's content between its quotes (still escaped if esc),
// a number's or literal's text, or a nested value's whole text.
type jsonValue struct {
	kind jsonValueKind
	esc  bool
	frac bool
	raw  []byte
}

// jsonField is one member of a parsed object.
type jsonField struct {
	key    []byte
	keyEsc bool
	val    jsonValue
}

// msgNotObject reports valid JSON that is not an object.
const msgNotObject = "the value is not a JSON object"

// jsonSyntaxError is a syntax error at byte offset off of the record. Its
// message never contains input bytes.
type jsonSyntaxError struct {
	off int
	msg string
}

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.off+1, e.msg)
}

// jsonParser is a strict RFC 8259 parser for one object at a time. It
// validates everything, including nested values and UTF-8, without
// recursion.
type jsonParser struct {
	b      []byte
	i      int
	fields []jsonField
	stack  []byte
}

func (p *jsonParser) fail(msg string) error {
	return &jsonSyntaxError{off: min(p.i, len(p.b)), msg: msg}
}

func (p *jsonParser) eof() error {
	return &jsonSyntaxError{off: len(p.b), msg: "unexpected end of input"}
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// parseObject parses b, which must hold one JSON object and nothing else
// but whitespace, into p.fields.
func (p *jsonParser) parseObject(b []byte) error {
	p.b, p.i, p.fields = b, 0, p.fields[:0]
	p.ws()
	if p.i >= len(b) {
		return p.eof()
	}
	if b[p.i] != '{' {
		return p.fail(msgNotObject)
	}
	p.i++
	p.ws()
	if p.i < len(b) && b[p.i] == '}' {
		p.i++
	} else {
		for {
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] != '"' {
				return p.fail("expected a string key")
			}
			key, esc, err := p.str()
			if err != nil {
				return err
			}
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] != ':' {
				return p.fail("expected ':' after a key")
			}
			p.i++
			p.ws()
			v, err := p.value()
			if err != nil {
				return err
			}
			p.fields = append(p.fields, jsonField{key: key, keyEsc: esc, val: v})
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			if b[p.i] == ',' {
				p.i++
				p.ws()
				continue
			}
			if b[p.i] == '}' {
				p.i++
				break
			}
			return p.fail("expected ',' or '}'")
		}
	}
	p.ws()
	if p.i != len(b) {
		return p.fail("unexpected data after the object")
	}
	return nil
}

// value parses one member value.
func (p *jsonParser) value() (jsonValue, error) {
	if p.i >= len(p.b) {
		return jsonValue{}, p.eof()
	}
	start := p.i
	switch c := p.b[p.i]; c {
	case '"':
		s, esc, err := p.str()
		return jsonValue{kind: jsonString, raw: s, esc: esc}, err
	case '{', '[':
		if err := p.composite(); err != nil {
			return jsonValue{}, err
		}
		k := jsonObject
		if c == '[' {
			k = jsonArray
		}
		return jsonValue{kind: k, raw: p.b[start:p.i]}, nil
	case 't', 'f', 'n':
		if err := p.literal(); err != nil {
			return jsonValue{}, err
		}
		k := jsonBool
		if c == 'n' {
			k = jsonNull
		}
		return jsonValue{kind: k, raw: p.b[start:p.i]}, nil
	default:
		frac, err := p.number()
		return jsonValue{kind: jsonNumber, raw: p.b[start:p.i], frac: frac}, err
	}
}

func (p *jsonParser) literal() error {
	rest := p.b[p.i:]
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(rest) >= len(lit) && string(rest[:len(lit)]) == lit {
			p.i += len(lit)
			return nil
		}
		if len(rest) < len(lit) && lit[:len(rest)] == string(rest) && rest[0] == lit[0] {
			return p.eof()
		}
	}
	return p.fail("invalid literal")
}

// number parses a JSON number and reports whether it has a fraction or an
// exponent.
func (p *jsonParser) number() (frac bool, err error) {
	b := p.b
	if b[p.i] == '-' {
		p.i++
	}
	if p.i >= len(b) {
		return false, p.eof()
	}
	switch {
	case b[p.i] == '0':
		p.i++
	case b[p.i] >= '1' && b[p.i] <= '9':
		p.digits()
	default:
		return false, p.fail("invalid number")
	}
	if p.i < len(b) && b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			if p.i >= len(b) {
				return false, p.eof()
			}
			return false, p.fail("invalid number")
		}
		frac = true
	}
	if p.i < len(b) && (b[p.i] == 'e' || b[p.i] == 'E') {
		p.i++
		if p.i < len(b) && (b[p.i] == '+' || b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			if p.i >= len(b) {
				return false, p.eof()
			}
			return false, p.fail("invalid number")
		}
		frac = true
	}
	return frac, nil
}

func (p *jsonParser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// str parses a string at p.i (on its opening quote) and returns its content.
func (p *jsonParser) str() (s []byte, esc bool, err error) {
	b := p.b
	p.i++
	start := p.i
	for p.i < len(b) {
		c := b[p.i]
		switch {
		case c == '"':
			s = b[start:p.i]
			p.i++
			return s, esc, nil
		case c == '\\':
			esc = true
			p.i++
			if p.i >= len(b) {
				return nil, false, p.eof()
			}
			switch b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for k := 0; k < 4; k++ {
					if p.i >= len(b) {
						return nil, false, p.eof()
					}
					if unhex(b[p.i]) < 0 {
						return nil, false, p.fail("invalid \\u escape")
					}
					p.i++
				}
			default:
				return nil, false, p.fail("invalid escape in string")
			}
		case c < 0x20:
			return nil, false, p.fail("control character in string")
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(b[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, p.fail("invalid UTF-8 in string")
			}
			p.i += size
		}
	}
	return nil, false, p.eof()
}

// composite validates an object or array at p.i, iteratively.
func (p *jsonParser) composite() error {
	b := p.b
	stack := p.stack[:0]
	defer func() { p.stack = stack[:0] }()
	for {
		if p.i >= len(b) {
			return p.eof()
		}
		// At the start of a value.
		switch c := b[p.i]; c {
		case '{', '[':
			if len(stack)+1 >= maxJSONDepth {
				return p.fail("objects and arrays nested too deeply")
			}
			stack = append(stack, c)
			p.i++
			p.ws()
			if p.i < len(b) && b[p.i] == c+2 { // '{'+2 is '}', '['+2 is ']'
				p.i++
				stack = stack[:len(stack)-1]
				break
			}
			if c == '{' {
				if err := p.keyColon(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, _, err := p.str(); err != nil {
				return err
			}
		case 't', 'f', 'n':
			if err := p.literal(); err != nil {
				return err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return p.fail("unexpected character")
			}
			if _, err := p.number(); err != nil {
				return err
			}
		}
		// After a value: close containers or move to the next member.
		for {
			if len(stack) == 0 {
				return nil
			}
			p.ws()
			if p.i >= len(b) {
				return p.eof()
			}
			top := stack[len(stack)-1]
			c := b[p.i]
			if c == top+2 {
				p.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if c != ',' {
				if top == '{' {
					return p.fail("expected ',' or '}'")
				}
				return p.fail("expected ',' or ']'")
			}
			p.i++
			p.ws()
			if top == '{' {
				if err := p.keyColon(); err != nil {
					return err
				}
			}
			break
		}
	}
}

// keyColon parses `"key" :` and the whitespace after it.
func (p *jsonParser) keyColon() error {
	if p.i >= len(p.b) {
		return p.eof()
	}
	if p.b[p.i] != '"' {
		return p.fail("expected a string key")
	}
	if _, _, err := p.str(); err != nil {
		return err
	}
	p.ws()
	if p.i >= len(p.b) {
		return p.eof()
	}
	if p.b[p.i] != ':' {
		return p.fail("expected ':' after a key")
	}
	p.i++
	p.ws()
	return nil
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func hex4(b []byte) rune {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}

// appendUnescaped appends the content of a validated JSON string. A lone
// surrogate becomes U+FFFD, as in encoding/json.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		i++
		switch c := s[i]; c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[i+1 : i+5])
			i += 5
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if d := utf16.DecodeRune(r, hex4(s[i+2:i+6])); d != unicode.ReplacementChar {
						dst = utf8.AppendRune(dst, d)
						i += 6
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			dst = append(dst, c)
		}
		i++
	}
	return dst
}

// appendCompact appends validated JSON text without insignificant
// whitespace. Strings are copied as written.
func appendCompact(dst, b []byte) []byte {
	inStr, esc := false, false
	start := 0
	for i, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case ' ', '\t', '\n', '\r':
			dst = append(dst, b[start:i]...)
			start = i + 1
		}
	}
	return append(dst, b[start:]...)
}

package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The causes of CSV parse errors. None of them carries data from the input.
var (
	errNoHeader        = errors.New("no header")
	errEmptyInput      = errors.New("empty input")
	errBareQuote       = errors.New("bare quote in unquoted field")
	errAfterQuote      = errors.New("unexpected character after closing quote")
	errUnterminated    = errors.New("unterminated quoted field at end of input")
	errInvalidUTF8     = errors.New("invalid UTF-8")
	errEmptyHeaderName = errors.New("empty header name")
)

// csvReadBufferSize is the size of the buffered reader; longer lines are
// gathered in a separate buffer.
const csvReadBufferSize = 64 * 1024

// csvDialect is a validated single-byte delimiter and quote.
type csvDialect struct {
	delim, quote byte
}

// newCSVDialect checks o and fills in the defaults.
func newCSVDialect(o CSVOptions) (csvDialect, error) {
	d := csvDialect{delim: ',', quote: '"'}
	if o.Delimiter != 0 {
		if !csvDialectRuneOK(o.Delimiter) {
			return d, errors.New("csv delimiter must be a single-byte character other than CR and LF")
		}
		d.delim = byte(o.Delimiter)
	}
	if o.Quote != 0 {
		if !csvDialectRuneOK(o.Quote) {
			return d, errors.New("csv quote must be a single-byte character other than CR and LF")
		}
		d.quote = byte(o.Quote)
	}
	if d.delim == d.quote {
		return d, errors.New("csv delimiter and quote must differ")
	}
	return d, nil
}

func csvDialectRuneOK(r rune) bool {
	return r > 0 && r < utf8.RuneSelf && r != '\r' && r != '\n'
}

// csvBatch holds the fields of the rows of one batch, row after row, as
// parsed text. Scanning (which must run in order, because of quoting) fills
// it; building the columns from it is independent per column and per batch,
// so that step could run in parallel.
type csvBatch struct {
	// data holds the unescaped bytes of every field, back to back.
	data []byte

	// ends[k] is the end offset in data of field k; it starts where field
	// k-1 ends.
	ends []int

	// quoted[k] tells whether field k was quoted.
	quoted []bool

	// lines[i] is the physical line where row i starts.
	lines []int64
}

func (b *csvBatch) reset() {
	b.data = b.data[:0]
	b.ends = b.ends[:0]
	b.quoted = b.quoted[:0]
	b.lines = b.lines[:0]
}

// endField closes the field whose bytes were appended last.
func (b *csvBatch) endField(quoted bool) {
	b.ends = append(b.ends, len(b.data))
	b.quoted = append(b.quoted, quoted)
}

// start returns the offset in data where field k starts.
func (b *csvBatch) start(k int) int {
	if k == 0 {
		return 0
	}
	return b.ends[k-1]
}

// field returns the bytes of field k.
func (b *csvBatch) field(k int) []byte {
	return b.data[b.start(k):b.ends[k]]
}

// truncate drops the fields from k on.
func (b *csvBatch) truncate(k int) {
	b.data = b.data[:b.start(k)]
	b.ends = b.ends[:k]
	b.quoted = b.quoted[:k]
}

// csvReader reads RFC 4180 CSV into record batches.
//
// An unquoted empty field is null; a quoted empty field is an empty string.
// Lines end in LF or CRLF; a CR elsewhere is data. A blank line is a row
// holding one null when the table has a single column, and is skipped
// otherwise (it cannot be a row of a wider table).
type csvReader struct {
	name    string
	br      *bufio.Reader
	d       csvDialect
	batch   int
	mem     memory.Allocator
	noHead  bool
	schema  *arrow.Schema
	names   []string
	columns []*csvColumn

	// line is the number of physical lines read so far.
	line int64

	// rows is the number of data rows in the batches before raw.
	rows int64

	// eof is set once the input is exhausted.
	eof bool

	// lineBuf gathers a line longer than the buffered reader's buffer.
	lineBuf []byte

	// raw holds the rows of the batch being read.
	raw csvBatch

	// pending means raw already holds the first data row (NoHeader).
	pending bool

	rec    arrow.RecordBatch
	err    error
	closed bool
}

func newCSVReader(r io.Reader, opt ReadOptions) (Reader, error) {
	d, err := newCSVDialect(opt.CSV)
	if err != nil {
		return nil, err
	}
	cr := &csvReader{
		name:   opt.Name,
		br:     bufio.NewReaderSize(r, csvReadBufferSize),
		d:      d,
		batch:  opt.BatchSize,
		mem:    opt.Mem,
		noHead: opt.CSV.NoHeader,
	}
	if cr.batch <= 0 {
		cr.batch = DefaultBatchSize
	}
	if cr.mem == nil {
		cr.mem = memory.DefaultAllocator
	}

	if err := cr.skipBOM(); err != nil {
		return nil, err
	}
	if err := cr.readHeader(); err != nil {
		return nil, err
	}

	cr.columns = make([]*csvColumn, len(cr.names))
	fields := make([]arrow.Field, len(cr.names))
	for j, name := range cr.names {
		typ := arrow.DataType(arrow.BinaryTypes.String)
		if t, ok := opt.ColumnTypes[name]; ok && t != nil {
			typ = t
		}
		col, err := newCSVColumn(name, typ, cr.mem)
		if err != nil {
			cr.releaseColumns()
			return nil, err
		}
		cr.columns[j] = col
		fields[j] = arrow.Field{Name: name, Type: typ, Nullable: true}
	}
	for name := range opt.ColumnTypes {
		if !cr.hasColumn(name) {
			cr.releaseColumns()
			return nil, fmt.Errorf("%s: a type is declared for column %q, which is not in the input",
				cr.name, name)
		}
	}
	cr.schema = arrow.NewSchema(fields, nil)
	return cr, nil
}

// skipBOM drops a UTF-8 byte order mark at the start of the input.
func (r *csvReader) skipBOM() error {
	b, err := r.br.Peek(3)
	if err != nil && err != io.EOF {
		return fmt.Errorf("read %s: %w", r.name, err)
	}
	if bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = r.br.Discard(3)
	}
	return nil
}

// readHeader reads the column names: from the first record, or, with
// NoHeader, names col1..colN after the first record, which is kept as the
// first data row.
func (r *csvReader) readHeader() error {
	start := r.line + 1
	n, err := r.readRecord()
	if err != nil {
		return err
	}
	if n == 0 {
		cause := errNoHeader
		if r.noHead {
			cause = errEmptyInput
		}
		return &ParseError{File: r.name, Line: start, Err: cause}
	}

	if r.noHead {
		if !utf8.Valid(r.raw.data) {
			return r.utf8Error(0, 0, start, 1)
		}
		r.names = make([]string, n)
		for j := range r.names {
			r.names[j] = "col" + strconv.Itoa(j+1)
		}
		r.raw.lines = append(r.raw.lines, start)
		r.pending = true
		return nil
	}

	if n == 1 && r.raw.ends[0] == 0 && !r.raw.quoted[0] {
		return &ParseError{File: r.name, Line: start, Err: errNoHeader}
	}
	if !utf8.Valid(r.raw.data) {
		return r.utf8Error(0, 0, start, 0)
	}
	r.names = make([]string, n)
	seen := make(map[string]int, n)
	for j := range r.names {
		name := string(r.raw.field(j))
		if name == "" {
			return &ParseError{File: r.name, Line: start,
				Err: fmt.Errorf("header field %d: %w", j+1, errEmptyHeaderName)}
		}
		if first, dup := seen[name]; dup {
			return &ParseError{File: r.name, Line: start,
				Err: fmt.Errorf("header field %d: duplicate header name (same as field %d)",
					j+1, first+1)}
		}
		seen[name] = j
		r.names[j] = name
	}
	r.raw.reset()
	return nil
}

func (r *csvReader) hasColumn(name string) bool {
	for _, n := range r.names {
		if n == name {
			return true
		}
	}
	return false
}

// Schema implements [Reader].
func (r *csvReader) Schema() *arrow.Schema { return r.schema }

// RecordBatch implements [Reader].
func (r *csvReader) RecordBatch() arrow.RecordBatch { return r.rec }

// Err implements [Reader].
func (r *csvReader) Err() error { return r.err }

// Next implements [Reader]. It reads up to the batch size of rows and builds
// their columns.
func (r *csvReader) Next() bool {
	r.releaseRecord()
	if r.err != nil || r.closed {
		return false
	}
	if !r.pending {
		r.raw.reset()
	}
	r.pending = false

	ncols := len(r.names)
	for len(r.raw.lines) < r.batch {
		first, dataStart, start := len(r.raw.ends), len(r.raw.data), r.line+1
		n, err := r.readRecord()
		if err != nil {
			r.err = err
			return false
		}
		if n == 0 {
			break
		}
		if n == 1 && ncols > 1 && r.raw.ends[first] == dataStart && !r.raw.quoted[first] {
			// A blank line.
			r.raw.truncate(first)
			continue
		}
		row := r.rows + int64(len(r.raw.lines)) + 1
		if n != ncols {
			what := "header"
			if r.noHead {
				what = "first row"
			}
			r.err = &ParseError{File: r.name, Line: start, Row: row,
				Err: fmt.Errorf("row has %d fields, %s has %d", n, what, ncols)}
			return false
		}
		if !utf8.Valid(r.raw.data[dataStart:]) {
			r.err = r.utf8Error(first, dataStart, start, row)
			return false
		}
		r.raw.lines = append(r.raw.lines, start)
	}
	if len(r.raw.lines) == 0 {
		return false
	}

	rec, err := r.build()
	if err != nil {
		r.err = err
		return false
	}
	r.rows += rec.NumRows()
	r.rec = rec
	return true
}

// build turns the rows in raw into a record batch.
func (r *csvReader) build() (arrow.RecordBatch, error) {
	nrows := len(r.raw.lines)
	cols := make([]arrow.Array, len(r.columns))
	for j, c := range r.columns {
		arr, i, err := c.build(&r.raw, j, len(r.columns))
		if err != nil {
			for _, a := range cols[:j] {
				a.Release()
			}
			return nil, &ParseError{File: r.name, Line: r.raw.lines[i],
				Row: r.rows + int64(i) + 1, Column: c.name, Err: err}
		}
		cols[j] = arr
	}
	rec := array.NewRecordBatch(r.schema, cols, int64(nrows))
	for _, a := range cols {
		a.Release()
	}
	return rec, nil
}

// Close implements [Reader]. It does not close the underlying io.Reader.
func (r *csvReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.releaseRecord()
	r.releaseColumns()
	return nil
}

func (r *csvReader) releaseRecord() {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
}

func (r *csvReader) releaseColumns() {
	for _, c := range r.columns {
		if c != nil {
			c.b.Release()
		}
	}
	r.columns = nil
}

// readLine returns the next physical line with its line ending (the last
// line may have none), or io.EOF when there is none. The slice is valid until
// the next read.
func (r *csvReader) readLine() ([]byte, error) {
	if r.eof {
		return nil, io.EOF
	}
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.lineBuf = append(r.lineBuf[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.lineBuf = append(r.lineBuf, line...)
		}
		line = r.lineBuf
	}
	if err == io.EOF {
		r.eof = true
		if len(line) == 0 {
			return nil, io.EOF
		}
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.name, err)
	}
	r.line++
	return line, nil
}

// readRecord appends the fields of the next record to raw and returns how
// many there are, or 0 at the end of the input. It checks the quoting only;
// the caller checks the field count and the encoding.
func (r *csvReader) readRecord() (int, error) {
	line, err := r.readLine()
	if err == io.EOF {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}

	d, raw := r.d, &r.raw
	first := len(raw.ends)
	for {
		if len(line) == 0 || line[0] != d.quote {
			// An unquoted field runs to the next delimiter or the line end.
			i := bytes.IndexByte(line, d.delim)
			field := line
			if i >= 0 {
				field = line[:i]
			} else {
				field = csvTrimEOL(line)
			}
			if bytes.IndexByte(field, d.quote) >= 0 {
				return 0, r.fieldError(len(raw.ends)-first, r.line, errBareQuote)
			}
			raw.data = append(raw.data, field...)
			raw.endField(false)
			if i < 0 {
				return len(raw.ends) - first, nil
			}
			line = line[i+1:]
			continue
		}

		// A quoted field runs to a quote that is not doubled, across lines.
		fieldLine := r.line
		line = line[1:]
		for {
			i := bytes.IndexByte(line, d.quote)
			if i < 0 {
				raw.data = append(raw.data, line...)
				line, err = r.readLine()
				if err == io.EOF {
					return 0, r.fieldError(len(raw.ends)-first, fieldLine, errUnterminated)
				}
				if err != nil {
					return 0, err
				}
				continue
			}
			raw.data = append(raw.data, line[:i]...)
			line = line[i+1:]
			if len(line) > 0 && line[0] == d.quote {
				raw.data = append(raw.data, d.quote)
				line = line[1:]
				continue
			}
			break
		}
		raw.endField(true)
		switch {
		case len(line) > 0 && line[0] == d.delim:
			line = line[1:]
		case csvIsEOL(line):
			return len(raw.ends) - first, nil
		default:
			return 0, r.fieldError(len(raw.ends)-first-1, r.line, errAfterQuote)
		}
	}
}

// csvTrimEOL drops a final LF or CRLF.
func csvTrimEOL(line []byte) []byte {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	return line[:n]
}

// csvIsEOL reports whether rest is the end of a line: nothing, LF or CRLF.
func csvIsEOL(rest []byte) bool {
	switch len(rest) {
	case 0:
		return true
	case 1:
		return rest[0] == '\n'
	case 2:
		return rest[0] == '\r' && rest[1] == '\n'
	}
	return false
}

// fieldError reports a problem in field k (0-based) of the record being read,
// at the given physical line.
func (r *csvReader) fieldError(k int, line int64, cause error) error {
	e := &ParseError{File: r.name, Line: line}
	r.placeField(e, k, cause)
	return e
}

// placeField sets the row and column of e for field k of the record being
// read, and its cause.
func (r *csvReader) placeField(e *ParseError, k int, cause error) {
	e.Err = cause
	switch {
	case r.names == nil:
		// The header, or the first row with NoHeader.
		if r.noHead {
			e.Row = 1
		}
		e.Err = fmt.Errorf("field %d: %w", k+1, cause)
	case k < len(r.names):
		e.Row = r.rows + int64(len(r.raw.lines)) + 1
		e.Column = r.names[k]
	default:
		e.Row = r.rows + int64(len(r.raw.lines)) + 1
		e.Err = fmt.Errorf("field %d: %w", k+1, cause)
	}
}

// utf8Error reports the first invalid UTF-8 in the record whose fields start
// at index first and whose bytes start at dataStart. row is set on the error
// when not 0.
func (r *csvReader) utf8Error(first, dataStart int, start, row int64) error {
	data := r.raw.data
	bad := dataStart
	for bad < len(data) {
		c, size := utf8.DecodeRune(data[bad:])
		if c == utf8.RuneError && size == 1 {
			break
		}
		bad += size
	}
	k := first
	for k < len(r.raw.ends)-1 && r.raw.ends[k] <= bad {
		k++
	}

	// Newlines inside quoted fields are kept in data, so they count the
	// physical lines the record spans up to the bad byte.
	line := start + int64(bytes.Count(data[dataStart:bad], []byte{'\n'}))
	e := &ParseError{File: r.name, Line: line}
	r.placeField(e, k-first, errInvalidUTF8)
	if row != 0 {
		e.Row = row
	}
	return e
}

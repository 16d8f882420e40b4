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

	// sized is set once raw's field index has room for a batch.
	sized bool

	rec    arrow.RecordBatch
	err    error
	closed bool
}

// newCSVReader reads the header of r (unless opt.CSV.NoHeader) and returns a
// reader of its rows. Columns are utf8 unless opt.ColumnTypes types them.
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
			return nil, fmt.Errorf("%s: a type is declared for column %q, "+
				"which is not in the input", cr.name, name)
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
	if bytes.Equal(b, csvBOM) {
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
	if !r.sized {
		// Size the field index for a whole batch at once.
		r.sized = true
		n := min(r.batch*ncols, 1<<20)
		r.raw.ends = append(make([]int, 0, n), r.raw.ends...)
		r.raw.quoted = append(make([]bool, 0, n), r.raw.quoted...)
		r.raw.lines = append(make([]int64, 0, min(r.batch, 1<<20)), r.raw.lines...)
	}
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

// build turns the rows in raw into a record batch. If values fail to parse,
// it reports the first row with a bad value, and its first bad column.
func (r *csvReader) build() (arrow.RecordBatch, error) {
	nrows := len(r.raw.lines)
	cols := make([]arrow.Array, 0, len(r.columns))
	var perr *ParseError
	for j, c := range r.columns {
		arr, i, err := c.build(&r.raw, j, len(r.columns))
		if err != nil {
			if perr == nil || r.rows+int64(i)+1 < perr.Row {
				perr = &ParseError{File: r.name, Line: r.raw.lines[i],
					Row: r.rows + int64(i) + 1, Column: c.name, Err: err}
			}
			continue
		}
		cols = append(cols, arr)
	}

	var rec arrow.RecordBatch
	if perr == nil {
		rec = array.NewRecordBatch(r.schema, cols, int64(nrows))
	}
	for _, a := range cols {
		a.Release()
	}
	if perr != nil {
		return nil, perr
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

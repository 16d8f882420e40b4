package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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
	errBareCR          = errors.New("carriage return (CR) outside quotes; lines must end in LF " +
		"or CRLF (convert a file with CR-only line endings, or quote a field that holds a CR)")
	errHeaderLooksLikeData = errors.New("looks like data, not a column name " +
		"(if the file has no header line, use --no-header)")
)

// csvReadBufferSize is the size of the buffered reader; longer lines are
// gathered in a separate buffer.
const csvReadBufferSize = 64 * 1024

// csvReader reads RFC 4180 CSV into record batches.
//
// An unquoted empty field is null; a quoted empty field is an empty string.
// Lines end in LF or CRLF; a CR inside quotes is data, and elsewhere an
// error (CR-only line endings would otherwise join records). A blank
// line is a row holding one null when the table has a single column, and is
// skipped otherwise (it cannot be a row of a wider table). A header field
// shaped like personal data (as ReadOptions.HeaderCheck decides) is an
// error: the file has no header line, and its first row would be taken, and
// shown, as column names.
//
// With more than one worker, reading uses two goroutines or more: while
// Next builds the arrays of one batch (its columns shared among up to
// workers goroutines), another goroutine scans the next batch. Scanning
// stays in input order, and each batch is reported as the sequential reader
// would: its scan error if it has one, else the first row with a bad value,
// so the first bad record of the input is the one reported. The cost is
// memory: two batches of scanned text, where one worker keeps one.
type csvReader struct {
	name    string
	sc      *csvScanner
	batch   int
	mem     memory.Allocator
	schema  *arrow.Schema
	columns []*csvColumn

	// workers is the number of goroutines that may build a batch's columns;
	// with more than one, the next batch is also scanned ahead.
	workers int

	// buildMin is the number of values in a batch from which its columns
	// are built on several goroutines (csvParallelBuildMin; tests lower it).
	buildMin int

	// next is the batch Next delivers next: scanned ahead when scanning is
	// set, else scanned by Next. spare is the other batch, free once the
	// batch delivered last is built.
	next, spare *csvBatch

	// scanning is set while a goroutine scans next; it sends on scanned
	// when done.
	scanning bool
	scanned  chan struct{}

	// done is set once the last batch has been delivered.
	done bool

	rec    arrow.RecordBatch
	err    error
	closed bool
}

// newCSVReader reads the header of r (unless opt.CSV.NoHeader) and returns a
// reader of its rows. Columns are utf8 unless opt.ColumnTypes types them.
// It reads with GOMAXPROCS workers.
func newCSVReader(r io.Reader, opt ReadOptions) (Reader, error) {
	cr, err := newCSVReaderWorkers(r, opt, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	return cr, nil
}

// newCSVReaderWorkers is newCSVReader with the given number of workers; 1
// reads on the caller's goroutine only.
func newCSVReaderWorkers(r io.Reader, opt ReadOptions, workers int) (*csvReader, error) {
	d, err := newCSVDialect(opt.CSV)
	if err != nil {
		return nil, err
	}
	cr := &csvReader{
		name: opt.Name,
		sc: &csvScanner{
			name:        opt.Name,
			br:          bufio.NewReaderSize(r, csvReadBufferSize),
			d:           d,
			noHead:      opt.CSV.NoHeader,
			headerCheck: opt.HeaderCheck,
		},
		batch:    opt.BatchSize,
		mem:      opt.Mem,
		workers:  max(workers, 1),
		buildMin: csvParallelBuildMin,
		next:     &csvBatch{},
		spare:    &csvBatch{},
		scanned:  make(chan struct{}, 1),
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
	if err := cr.sc.readHeader(cr.next); err != nil {
		return nil, err
	}

	names := cr.sc.names
	cr.columns = make([]*csvColumn, len(names))
	fields := make([]arrow.Field, len(names))
	for j, name := range names {
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
	// In name order, so that the error names the same column every time.
	for _, name := range slices.Sorted(maps.Keys(opt.ColumnTypes)) {
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
	b, err := r.sc.br.Peek(3)
	if err != nil && err != io.EOF {
		return fmt.Errorf("read %s: %w", r.name, err)
	}
	if bytes.Equal(b, csvBOM) {
		_, _ = r.sc.br.Discard(3)
	}
	return nil
}

func (r *csvReader) hasColumn(name string) bool {
	for _, n := range r.sc.names {
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

// Next implements [Reader]. It takes the next batch of rows, scanned ahead
// or scanned now, starts scanning the one after it on another goroutine
// (with more than one worker), and builds its columns.
func (r *csvReader) Next() bool {
	r.releaseRecord()
	if r.err != nil || r.closed || r.done {
		return false
	}
	b := r.next
	if r.scanning {
		<-r.scanned
		r.scanning = false
	} else {
		r.sc.scan(b, r.batch)
	}
	if b.err != nil {
		r.err = b.err
		return false
	}
	if b.n == 0 {
		r.done = true
		return false
	}
	r.done = b.eof

	if r.workers > 1 && !r.done {
		// The spare batch was built by the previous call: scan into it
		// while this one is built.
		nb := r.spare
		nb.reset()
		r.next, r.spare = nb, b
		r.scanning = true
		go func() {
			r.sc.scan(nb, r.batch)
			r.scanned <- struct{}{}
		}()
	}

	rec, err := r.build(b)
	if r.next == b {
		b.reset()
	}
	if err != nil {
		// Nothing after the error is read: stop the scan ahead.
		r.sc.stop.Store(true)
		r.err = err
		return false
	}
	r.rec = rec
	return true
}

// csvParallelBuildMin is the number of values in a batch from which its
// columns are built on several goroutines; below it, starting them costs
// more than it saves.
const csvParallelBuildMin = 1 << 14

// build turns the rows of b into a record batch. If values fail to parse,
// it reports the first row with a bad value, and its first bad column.
func (r *csvReader) build(b *csvBatch) (arrow.RecordBatch, error) {
	type built struct {
		arr arrow.Array
		row int
		err error
	}
	ncols := len(r.columns)
	res := make([]built, ncols)
	var next atomic.Int64
	work := func() {
		for {
			j := int(next.Add(1) - 1)
			if j >= ncols {
				return
			}
			arr, i, err := r.columns[j].build(&b.cols[j], b.n, r.mem)
			res[j] = built{arr, i, err}
		}
	}
	helpers := 0
	if b.n*ncols >= r.buildMin {
		helpers = min(r.workers, ncols) - 1
	}
	var wg sync.WaitGroup
	for range helpers {
		wg.Go(work)
	}
	work()
	wg.Wait()

	cols := make([]arrow.Array, 0, ncols)
	var perr *ParseError
	for j, c := range res {
		if c.err != nil {
			if row := b.row0 + int64(c.row) + 1; perr == nil || row < perr.Row {
				perr = &ParseError{File: r.name, Line: b.lines[c.row], Row: row,
					Column: r.columns[j].name, Err: c.err}
			}
			continue
		}
		cols = append(cols, c.arr)
	}

	var rec arrow.RecordBatch
	if perr == nil {
		rec = array.NewRecordBatch(r.schema, cols, int64(b.n))
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
//
// It stops the goroutine scanning ahead, if any, and waits for it: the scan
// stops at the next record, but a Read blocked in the underlying io.Reader
// (a pipe that sends nothing) holds Close until it returns.
func (r *csvReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.sc.stop.Store(true)
	if r.scanning {
		<-r.scanned
		r.scanning = false
	}
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
		if c != nil && c.b != nil {
			c.b.Release()
		}
	}
	r.columns = nil
}

// This file holds the reader shared by the NDJSON and JSON-array formats:
// the jsonReader type, its Reader methods and batching, the recordSource
// interface, and the NDJSON line source.

package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/apache/arrow-go/v18/arrow"
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

// newNDJSONReader reads newline-delimited JSON objects, one per line. With
// more than one CPU it decodes in parallel (see ndjson_parallel.go).
func newNDJSONReader(r io.Reader, opt ReadOptions) (Reader, error) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 {
		workers = 0
	}
	return newNDJSONReaderWorkers(r, opt, workers)
}

// newNDJSONReaderWorkers reads NDJSON with the given number of decoding
// goroutines after schema inference; 0 decodes on the caller's goroutine.
// Both ways give the same schema, rows and errors; the parallel batches may
// be cut shorter (see ndjsonChunk).
func newNDJSONReaderWorkers(r io.Reader, opt ReadOptions, workers int) (Reader, error) {
	src := &lineSource{r: bufio.NewReaderSize(r, 256<<10), name: opt.Name}
	jr, err := newJSONRecordReader(src, opt, false)
	if err != nil {
		return nil, err
	}
	if workers <= 0 || src.eof {
		// Sequential, or inference read the whole input: one batch.
		return jr, nil
	}
	return newNDJSONParallel(jr, src, workers), nil
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

// maxNDJSONLine bounds the bytes of one NDJSON line (without its '\n'), so
// that input without newlines cannot exhaust memory. A variable for tests.
var maxNDJSONLine = 64 << 20

// lineTooLong reports a line longer than maxNDJSONLine at line and row.
func lineTooLong(name string, line, row int64) error {
	return &ParseError{File: name, Line: line, Row: row,
		Err: fmt.Errorf("line longer than %d MiB (a missing newline?)", maxNDJSONLine>>20)}
}

// lineSource splits NDJSON input into lines, skipping blank ones.
type lineSource struct {
	r    *bufio.Reader
	name string
	line int64 // lines read
	rows int64 // records returned
	cur  int64
	buf  []byte
	eof  bool // next returned io.EOF
}

func (s *lineSource) next() ([]byte, int64, error) {
	for {
		b, err := s.readLine()
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				s.eof = true
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, 0, err
			}
			return nil, 0, readError(s.name, err)
		}
		s.line++
		if s.line == 1 {
			b = bytes.TrimPrefix(b, jsonBOM)
		}
		if isJSONSpace(b) {
			continue
		}
		s.cur = s.line
		s.rows++
		return b, s.line, nil
	}
}

func (s *lineSource) position(off int) (int64, int) {
	return s.cur, off + 1
}

// readLine returns the next line without its '\n'. It returns data with
// io.EOF only for a last line without a newline, and a *ParseError for a
// line longer than maxNDJSONLine.
func (s *lineSource) readLine() ([]byte, error) {
	b, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.buf = append(s.buf[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(s.buf) > maxNDJSONLine {
				return nil, lineTooLong(s.name, s.line+1, s.rows+1)
			}
			b, err = s.r.ReadSlice('\n')
			s.buf = append(s.buf, b...)
		}
		b = s.buf
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b, err = b[:n-1], nil
	}
	if len(b) > maxNDJSONLine {
		return nil, lineTooLong(s.name, s.line+1, s.rows+1)
	}
	return b, err
}

// readError names the input in a read error; io.EOF is returned as is.
func readError(name string, err error) error {
	if err != io.EOF {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return err
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

// jsonReader decodes JSON objects from a recordSource into Arrow batches.
type jsonReader struct {
	jsonDecoder
	opt    ReadOptions
	mem    memory.Allocator
	src    recordSource
	schema *arrow.Schema

	// Records buffered for inference, replayed first.
	pending    []byte
	pendingOff []int
	pendingLn  []int64
	pendingPos int

	row    int64
	cur    arrow.RecordBatch
	err    error
	done   bool
	replay bool
}

// newJSONRecordReader infers the schema from the first records of src and
// returns a reader that replays them. allowEmpty accepts an input without
// any record when the profile declares its columns.
func newJSONRecordReader(src recordSource, opt ReadOptions, allowEmpty bool) (*jsonReader, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	r := &jsonReader{opt: opt, mem: opt.Mem, src: src}
	r.jsonDecoder = jsonDecoder{name: opt.Name, window: min(opt.BatchSize, inferRecords),
		check: opt.HeaderCheck, index: map[string]int{}}
	if r.mem == nil {
		r.mem = memory.DefaultAllocator
	}
	if err := r.infer(); err != nil {
		return nil, err
	}
	if len(r.pendingOff) == 0 && (!allowEmpty || len(r.cols) == 0) {
		e := &ParseError{File: opt.Name, Err: errors.New("no JSON records in the input")}
		if allowEmpty {
			e.Line = 1 // the array's line
		}
		return nil, e
	}
	if err := r.build(); err != nil {
		return nil, err
	}
	return r, nil
}

// build makes the schema and the builders.
func (r *jsonReader) build() error {
	fields := make([]arrow.Field, len(r.cols))
	for i, c := range r.cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		if c.meta != "" {
			fields[i].Metadata = arrow.NewMetadata([]string{JSONKindKey}, []string{c.meta})
		}
		c.setBuilder(r.mem)
	}
	r.schema = arrow.NewSchema(fields, nil)
	return nil
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
	r.release()
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
	r.reserve(r.opt.BatchSize)

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
		if err := r.appendRecord(raw, line, r.row); err != nil {
			r.fail(r.syntaxError(err))
			return false
		}
		n++
	}
	if n == 0 {
		return false
	}

	r.cur = r.batch(r.schema, n)
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
	r.discard()
}

// syntaxError turns a parser error into a ParseError at the right line.
func (r *jsonReader) syntaxError(err error) error {
	var se *jsonSyntaxError
	if !errors.As(err, &se) {
		return err
	}
	line, col := r.posOf(se.off)
	return se.at(r.opt.Name, line, col, r.row)
}

// at returns e as a ParseError at line and row, col being the 1-based byte
// of the line where it was found.
func (e *jsonSyntaxError) at(name string, line int64, col int, row int64) *ParseError {
	if e.msg == msgNotObject {
		return &ParseError{File: name, Line: line, Row: row, Err: errors.New(msgNotObject)}
	}
	return &ParseError{File: name, Line: line, Row: row,
		Err: fmt.Errorf("invalid JSON at byte %d: %s", col, e.msg)}
}

func (r *jsonReader) posOf(off int) (int64, int) {
	if r.replay {
		// Replayed records were parsed once already; this cannot happen
		// for syntax, only for values, which carry no byte offset.
		return r.pendingLn[max(r.pendingPos-1, 0)], off + 1
	}
	return r.src.position(off)
}

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

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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

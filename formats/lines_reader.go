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

// LinesColumn is the name of the one column of the lines format.
const LinesColumn = "line"

// maxLineBytes bounds one line of the lines format.
const maxLineBytes = 64 << 20

// linesSchema is the schema of the lines format: one utf8 column, "line".
var linesSchema = arrow.NewSchema([]arrow.Field{
	{Name: LinesColumn, Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// linesReader reads any text file as a table of one column, one row per
// line. Line endings are normalized by this rule: a line ends at LF; a CR
// just before that LF is part of the ending (CRLF), not of the text; a CR
// elsewhere is text. A last line without an ending is a row; an ending at
// the end of the file does not start another row, so an empty file has no
// rows and every empty line is an empty string (never null). A UTF-8 byte
// order mark at the very start is dropped. Everything else is kept byte for
// byte: no quoting, no trimming, no validation.
type linesReader struct {
	br    *bufio.Reader
	name  string
	batch int
	mem   memory.Allocator
	line  int64
	rec   arrow.RecordBatch
	err   error
	done  bool
	first bool
}

func newLinesReader(r io.Reader, opt ReadOptions) (Reader, error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &linesReader{br: bufio.NewReaderSize(r, 256<<10), name: opt.Name,
		batch: opt.BatchSize, mem: mem, first: true}, nil
}

// Schema implements [Reader].
func (r *linesReader) Schema() *arrow.Schema { return linesSchema }

// RecordBatch implements [Reader].
func (r *linesReader) RecordBatch() arrow.RecordBatch { return r.rec }

// Err implements [Reader].
func (r *linesReader) Err() error { return r.err }

// Next implements [Reader].
func (r *linesReader) Next() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	if r.done || r.err != nil {
		return false
	}
	b := array.NewStringBuilder(r.mem)
	defer b.Release()
	var buf []byte
	for b.Len() < r.batch {
		line, err := r.readLine(buf[:0])
		buf = line
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			r.err = err
			return false
		}
		b.BinaryBuilder.Append(line)
	}
	if b.Len() == 0 {
		return false
	}
	arr := b.NewArray()
	defer arr.Release()
	r.rec = array.NewRecordBatch(linesSchema, []arrow.Array{arr}, int64(arr.Len()))
	return true
}

// readLine appends the next line, without its ending, to dst. It returns
// io.EOF when no line is left.
func (r *linesReader) readLine(dst []byte) ([]byte, error) {
	start := len(dst)
	for {
		chunk, err := r.br.ReadSlice('\n')
		dst = append(dst, chunk...)
		if len(dst)-start > maxLineBytes {
			return dst, &ParseError{File: r.name, Line: r.line + 1,
				Err: fmt.Errorf("line longer than %d bytes", maxLineBytes)}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && err != io.EOF {
			return dst, fmt.Errorf("read %s: %w", r.name, err)
		}
		if err == io.EOF && len(dst) == start {
			return dst, io.EOF
		}
		break
	}
	r.line++
	if r.first {
		r.first = false
		if bytes.HasPrefix(dst[start:], []byte("\xef\xbb\xbf")) {
			dst = append(dst[:start], dst[start+3:]...)
		}
	}
	if n := len(dst); n > start && dst[n-1] == '\n' {
		dst = dst[:n-1]
		if n := len(dst); n > start && dst[n-1] == '\r' {
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// Close implements [Reader].
func (r *linesReader) Close() error {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	r.done = true
	return nil
}

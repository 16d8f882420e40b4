package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// This file holds the scanning half of the CSV reader: it splits the input
// into records and fields and collects them in a csvBatch, without looking
// at column types.

// MaxCSVRecordBytes bounds one CSV record (a line, or a quoted field that
// spans lines), so that a stray quote cannot make the reader hold the rest of
// a large file in memory.
const MaxCSVRecordBytes = 64 << 20

// errRecordTooLong reports a record over MaxCSVRecordBytes.
var errRecordTooLong = fmt.Errorf("record longer than %d MiB (an unterminated quote?)",
	MaxCSVRecordBytes>>20)

// csvDialect is a validated single-byte delimiter and quote.
type csvDialect struct {
	delim, quote byte
}

// newCSVDialect checks o and fills in the defaults.
func newCSVDialect(o CSVOptions) (csvDialect, error) {
	d := csvDialect{delim: ',', quote: '"'}
	if o.Delimiter != 0 {
		if !csvDialectRuneOK(o.Delimiter) {
			return d, errors.New("csv delimiter must be a single-byte character " +
				"other than CR and LF")
		}
		d.delim = byte(o.Delimiter)
	}
	if o.Quote != 0 {
		if !csvDialectRuneOK(o.Quote) {
			return d, errors.New("csv quote must be a single-byte character " +
				"other than CR and LF")
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
			if len(r.lineBuf) > MaxCSVRecordBytes {
				return nil, &ParseError{File: r.name, Line: r.line + 1, Err: errRecordTooLong}
			}
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
	recordStart := len(raw.data)
	if bytes.IndexByte(line, d.quote) < 0 {
		// The common case: no quotes, so the fields are split at each
		// delimiter.
		line = csvTrimEOL(line)
		for {
			i := bytes.IndexByte(line, d.delim)
			if i < 0 {
				raw.data = append(raw.data, line...)
				raw.endField(false)
				return len(raw.ends) - first, nil
			}
			raw.data = append(raw.data, line[:i]...)
			raw.endField(false)
			line = line[i+1:]
		}
	}
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
				if len(raw.data)-recordStart > MaxCSVRecordBytes {
					return 0, r.fieldError(len(raw.ends)-first, fieldLine, errRecordTooLong)
				}
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

package formats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
)

// This file holds the scanning half of the CSV reader: it splits the input
// into records and fields and collects them in a csvBatch, column by column,
// without looking at column types.

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

// csvFields holds the values of one column of a batch as parsed text, row
// after row.
type csvFields struct {
	// data holds the unescaped bytes of the values, back to back.
	data []byte

	// offs[i] and offs[i+1] bound the value of row i in data; offs[0] is 0.
	offs []int

	// quotedEmpty lists, in increasing order, the rows whose value is a
	// quoted empty field (""). Any other empty value is an unquoted empty
	// field, which is null.
	quotedEmpty []int
}

// end closes the value of row whose bytes were appended last; empty and
// quoted tell whether it was empty and quoted.
func (f *csvFields) end(row int, empty, quoted bool) {
	f.offs = append(f.offs, len(f.data))
	if empty && quoted {
		f.quotedEmpty = append(f.quotedEmpty, row)
	}
}

// value returns the bytes of the value of row i.
func (f *csvFields) value(i int) []byte {
	return f.data[f.offs[i]:f.offs[i+1]]
}

// isNull reports whether the value of row i is an unquoted empty field.
func (f *csvFields) isNull(i int) bool {
	if f.offs[i] != f.offs[i+1] {
		return false
	}
	q := f.quotedEmpty
	// Rows are looked up from the end: the callers ask about the last rows.
	for k := len(q) - 1; k >= 0 && q[k] >= i; k-- {
		if q[k] == i {
			return false
		}
	}
	return true
}

// truncate keeps the values of the first rows rows.
func (f *csvFields) truncate(rows int) {
	if rows+1 > len(f.offs) {
		return
	}
	f.data = f.data[:f.offs[rows]]
	f.offs = f.offs[:rows+1]
	for len(f.quotedEmpty) > 0 && f.quotedEmpty[len(f.quotedEmpty)-1] >= rows {
		f.quotedEmpty = f.quotedEmpty[:len(f.quotedEmpty)-1]
	}
}

func (f *csvFields) reset() {
	f.data = f.data[:0]
	f.offs = append(f.offs[:0], 0)
	f.quotedEmpty = f.quotedEmpty[:0]
}

// csvBatch holds the rows of one batch as parsed text, column by column.
// Scanning, which must run in order because of quoting, fills it; building
// the arrays from it is independent per column and per batch, so a batch
// can be built while the scanner fills the next one (see csvReader.Next).
type csvBatch struct {
	// cols holds the values of each field position seen, the table's
	// columns first. A record with more fields than the table adds
	// columns; it is an error, so they are never built.
	cols []csvFields

	// n is the number of complete rows.
	n int

	// lines[i] is the physical line where row i starts.
	lines []int64

	// row0 is the number of data rows before this batch.
	row0 int64

	// eof is set when the input ended after these rows.
	eof bool

	// err is the scan error that ended this batch; its rows are then
	// never delivered, as the first bad record is what is reported.
	err error
}

// col returns the values of field position k, adding it if it is new.
func (b *csvBatch) col(k int) *csvFields {
	if k == len(b.cols) {
		b.cols = append(b.cols, csvFields{offs: []int{0}})
	}
	return &b.cols[k]
}

// drop discards the first nfields fields of the record after the last row.
func (b *csvBatch) drop(nfields int) {
	for k := range min(nfields, len(b.cols)) {
		b.cols[k].truncate(b.n)
	}
}

func (b *csvBatch) reset() {
	for k := range b.cols {
		b.cols[k].reset()
	}
	b.n = 0
	b.lines = b.lines[:0]
	b.row0 = 0
	b.eof = false
	b.err = nil
}

// errCSVClosed ends a scan that Close interrupted. It never reaches the
// caller, who has closed the reader.
var errCSVClosed = errors.New("csv reader closed")

// csvScanner splits the input into records and fields, in order, and fills
// csvBatches with them, without looking at column types. Only one goroutine
// uses it at a time: the caller of Next, or the goroutine that scans the
// next batch ahead (see csvReader.Next).
type csvScanner struct {
	name   string
	br     *bufio.Reader
	d      csvDialect
	noHead bool

	// headerCheck is ReadOptions.HeaderCheck; nil checks nothing.
	headerCheck func(name string) string

	// names are the column names, set once the header is read.
	names []string

	// line is the number of physical lines read so far.
	line int64

	// rows is the number of data rows in the batches scanned before the
	// one being scanned.
	rows int64

	// eof is set once the input is exhausted.
	eof bool

	// lineBuf gathers a line longer than the buffered reader's buffer.
	lineBuf []byte

	// stop asks a scan to end at the next record (set by Close).
	stop atomic.Bool
}

// readLine returns the next physical line with its line ending (the last
// line may have none), or io.EOF when there is none. The slice is valid until
// the next read.
func (s *csvScanner) readLine() ([]byte, error) {
	if s.eof {
		return nil, io.EOF
	}
	line, err := s.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.lineBuf = append(s.lineBuf[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.br.ReadSlice('\n')
			s.lineBuf = append(s.lineBuf, line...)
			if len(s.lineBuf) > MaxCSVRecordBytes {
				return nil, &ParseError{File: s.name, Line: s.line + 1, Err: errRecordTooLong}
			}
		}
		line = s.lineBuf
	}
	if err == io.EOF {
		s.eof = true
		if len(line) == 0 {
			return nil, io.EOF
		}
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.name, err)
	}
	s.line++
	return line, nil
}

// readRecord appends the fields of the next record to b, as row b.n of its
// columns, and returns how many there are, or 0 at the end of the input. It
// checks the quoting only; the caller checks the field count, and the
// encoding, which bad reports as invalid somewhere in the record's lines.
//
// A CR outside quotes that does not end the line is an error (errBareCR):
// it is how CR-only line endings show, in the whole file or in part of it,
// and read as data it would join several records into one (a one-column
// file would lose rows without any other error), or make the data of the
// first records the column names. A CR inside quotes is data.
//
// Checking whole lines finds the same records as checking each field: the
// bytes a line adds to the fields are ASCII (delimiters, quotes, line ends),
// which cannot join or split a multibyte sequence.
func (s *csvScanner) readRecord(b *csvBatch) (n int, bad bool, err error) {
	line, err := s.readLine()
	if err == io.EOF {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	bad = !utf8.Valid(line)

	d, row := s.d, b.n
	if bytes.IndexByte(line, d.quote) < 0 {
		// The common case: no quotes, so the fields are split at each
		// delimiter.
		line = csvTrimEOL(line)
		if i := bytes.IndexByte(line, '\r'); i >= 0 {
			k := bytes.Count(line[:i], []byte{d.delim})
			return 0, false, s.fieldError(b, k, s.line, errBareCR)
		}
		for k := 0; ; k++ {
			f := b.col(k)
			i := bytes.IndexByte(line, d.delim)
			if i < 0 {
				f.data = append(f.data, line...)
				f.end(row, len(line) == 0, false)
				return k + 1, bad, nil
			}
			f.data = append(f.data, line[:i]...)
			f.end(row, i == 0, false)
			line = line[i+1:]
		}
	}

	size := 0 // the bytes of the record's fields so far
	for k := 0; ; k++ {
		f := b.col(k)
		if len(line) == 0 || line[0] != d.quote {
			// An unquoted field runs to the next delimiter or the line end.
			i := bytes.IndexByte(line, d.delim)
			field := line
			if i >= 0 {
				field = line[:i]
			} else {
				field = csvTrimEOL(line)
			}
			if bytes.IndexByte(field, '\r') >= 0 {
				return 0, false, s.fieldError(b, k, s.line, errBareCR)
			}
			if bytes.IndexByte(field, d.quote) >= 0 {
				return 0, false, s.fieldError(b, k, s.line, errBareQuote)
			}
			f.data = append(f.data, field...)
			size += len(field)
			f.end(row, len(field) == 0, false)
			if i < 0 {
				return k + 1, bad, nil
			}
			line = line[i+1:]
			continue
		}

		// A quoted field runs to a quote that is not doubled, across lines.
		fieldLine := s.line
		from := len(f.data)
		line = line[1:]
		for {
			i := bytes.IndexByte(line, d.quote)
			if i < 0 {
				f.data = append(f.data, line...)
				size += len(line)
				if size > MaxCSVRecordBytes {
					return 0, false, s.fieldError(b, k, fieldLine, errRecordTooLong)
				}
				line, err = s.readLine()
				if err == io.EOF {
					return 0, false, s.fieldError(b, k, fieldLine, errUnterminated)
				}
				if err != nil {
					return 0, false, err
				}
				bad = bad || !utf8.Valid(line)
				continue
			}
			f.data = append(f.data, line[:i]...)
			size += i
			line = line[i+1:]
			if len(line) > 0 && line[0] == d.quote {
				f.data = append(f.data, d.quote)
				size++
				line = line[1:]
				continue
			}
			break
		}
		f.end(row, len(f.data) == from, true)
		switch {
		case len(line) > 0 && line[0] == d.delim:
			line = line[1:]
		case csvIsEOL(line):
			return k + 1, bad, nil
		case line[0] == '\r':
			return 0, false, s.fieldError(b, k, s.line, errBareCR)
		default:
			return 0, false, s.fieldError(b, k, s.line, errAfterQuote)
		}
	}
}

// scan reads rows into b until it holds size rows, the input ends (b.eof)
// or a record is bad (b.err). b may already hold rows.
func (s *csvScanner) scan(b *csvBatch, size int) {
	ncols := len(s.names)
	b.row0 = s.rows
	for b.n < size {
		if s.stop.Load() {
			b.err = errCSVClosed
			return
		}
		start := s.line + 1
		n, bad, err := s.readRecord(b)
		if err != nil {
			b.err = err
			return
		}
		if n == 0 {
			b.eof = true
			break
		}
		if n == 1 && ncols > 1 && b.cols[0].isNull(b.n) {
			// A blank line.
			b.drop(1)
			continue
		}
		row := s.rows + int64(b.n) + 1
		if n != ncols {
			what := "header"
			if s.noHead {
				what = "first row"
			}
			b.err = &ParseError{File: s.name, Line: start, Row: row,
				Err: fmt.Errorf("row has %d fields, %s has %d", n, what, ncols)}
			return
		}
		if bad {
			b.err = s.utf8Error(b, n, start, row)
			return
		}
		b.lines = append(b.lines, start)
		b.n++
	}
	s.rows += int64(b.n)
}

// readHeader reads the column names into s.names: from the first record, or,
// with NoHeader, names col1..colN after the first record, which is left in b
// as its first row.
func (s *csvScanner) readHeader(b *csvBatch) error {
	start := s.line + 1
	n, bad, err := s.readRecord(b)
	if err != nil {
		return err
	}
	if n == 0 {
		cause := errNoHeader
		if s.noHead {
			cause = errEmptyInput
		}
		return &ParseError{File: s.name, Line: start, Err: cause}
	}

	if s.noHead {
		if bad {
			return s.utf8Error(b, n, start, 1)
		}
		names := make([]string, n)
		for j := range names {
			names[j] = "col" + strconv.Itoa(j+1)
		}
		b.lines = append(b.lines, start)
		b.n = 1
		s.names = names
		return nil
	}

	if n == 1 && b.cols[0].isNull(0) {
		return &ParseError{File: s.name, Line: start, Err: errNoHeader}
	}
	if bad {
		return s.utf8Error(b, n, start, 0)
	}
	names := make([]string, n)
	seen := make(map[string]int, n)
	for j := range names {
		name := string(b.cols[j].value(0))
		if name == "" {
			return &ParseError{File: s.name, Line: start,
				Err: fmt.Errorf("header field %d: %w", j+1, errEmptyHeaderName)}
		}
		if kind := s.checkHeader(name); kind != "" {
			return &ParseError{File: s.name, Line: start,
				Err: fmt.Errorf("header field %d: %s %w", j+1, kind, errHeaderLooksLikeData)}
		}
		if first, dup := seen[name]; dup {
			return &ParseError{File: s.name, Line: start,
				Err: fmt.Errorf("header field %d: duplicate header name (same as field %d)",
					j+1, first+1)}
		}
		seen[name] = j
		names[j] = name
	}
	b.reset()
	s.names = names
	return nil
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

// fieldError reports a problem in field k (0-based) of the record being read
// into b, at the given physical line.
func (s *csvScanner) fieldError(b *csvBatch, k int, line int64, cause error) error {
	e := &ParseError{File: s.name, Line: line}
	s.placeField(e, b, k, cause)
	return e
}

// placeField sets the row and column of e for field k of the record being
// read into b, and its cause.
func (s *csvScanner) placeField(e *ParseError, b *csvBatch, k int, cause error) {
	e.Err = cause
	switch {
	case s.names == nil:
		// The header, or the first row with NoHeader.
		if s.noHead {
			e.Row = 1
		}
		e.Err = fmt.Errorf("field %d: %w", k+1, cause)
	case k < len(s.names):
		e.Row = s.rows + int64(b.n) + 1
		e.Column = s.names[k]
	default:
		e.Row = s.rows + int64(b.n) + 1
		e.Err = fmt.Errorf("field %d: %w", k+1, cause)
	}
}

// utf8Error reports the first invalid UTF-8 in the n fields of the record
// read into b after its rows; the record starts at physical line start. row
// is set on the error when not 0.
func (s *csvScanner) utf8Error(b *csvBatch, n int, start, row int64) error {
	// The record is known to hold invalid UTF-8 (see readRecord), so some
	// field does; should none, the last field is blamed.
	k, bad, line := n-1, 0, start
	for j := range n {
		v := b.cols[j].value(b.n)
		if utf8.Valid(v) {
			// Newlines inside quoted fields are kept in the values, so they
			// count the physical lines the record spans up to the bad byte.
			line += int64(bytes.Count(v, []byte{'\n'}))
			continue
		}
		for bad < len(v) {
			c, size := utf8.DecodeRune(v[bad:])
			if c == utf8.RuneError && size == 1 {
				break
			}
			bad += size
		}
		k = j
		line += int64(bytes.Count(v[:bad], []byte{'\n'}))
		break
	}
	e := &ParseError{File: s.name, Line: line}
	s.placeField(e, b, k, errInvalidUTF8)
	if row != 0 {
		e.Row = row
	}
	return e
}

// checkHeader returns what the header name looks like when it is shaped like
// data (see [ReadOptions.HeaderCheck]), or "".
func (s *csvScanner) checkHeader(name string) string {
	if s.headerCheck == nil {
		return ""
	}
	return s.headerCheck(name)
}

package formats

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// newJSONArrayReader reads one top-level JSON array of objects, streaming it
// element by element. Types are inferred as for NDJSON. An empty array gives
// a reader with no batches when ColumnTypes declares the columns, and an
// error otherwise.
func newJSONArrayReader(r io.Reader, opt ReadOptions) (Reader, error) {
	src := &arraySource{r: bufio.NewReaderSize(r, 256<<10), name: opt.Name, line: 1}
	return newJSONRecordReader(src, opt, true)
}

// arraySource splits a JSON array into the raw text of its elements. It
// checks only the structure (brackets, strings) to find where an element
// ends; jsonParser validates the element itself.
type arraySource struct {
	r    *bufio.Reader
	name string

	// line and col (0-based) give the position of the next byte.
	line int64
	col  int

	state int // 0: before '[', 1: after '[', 2: after an element, 3: done
	buf   []byte
	stack []byte

	// Start of the element last returned.
	startLine int64
	startCol  int
}

func (s *arraySource) readByte() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, readError(s.name, err)
	}
	if c == '\n' {
		s.line++
		s.col = 0
	} else {
		s.col++
	}
	return c, nil
}

// skipSpace consumes whitespace and returns the next byte, unread.
func (s *arraySource) skipSpace() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, readError(s.name, err)
		}
		switch c {
		case '\n':
			s.line++
			s.col = 0
		case ' ', '\t', '\r':
			s.col++
		default:
			if err := s.r.UnreadByte(); err != nil {
				return 0, err
			}
			return c, nil
		}
	}
}

func (s *arraySource) errorf(format string, args ...any) error {
	return &ParseError{File: s.name, Line: s.line, Err: fmt.Errorf(format, args...)}
}

func (s *arraySource) next() ([]byte, int64, error) {
	switch s.state {
	case 0:
		if b, err := s.r.Peek(3); err == nil && bytes.Equal(b, jsonBOM) {
			s.r.Discard(3)
		}
		c, err := s.skipSpace()
		if err == io.EOF {
			return nil, 0, s.errorf("empty input; expected a JSON array")
		}
		if err != nil {
			return nil, 0, err
		}
		if c != '[' {
			return nil, 0, s.errorf("the input is not a JSON array")
		}
		s.readByte()
		s.state = 1
		c, err = s.skipSpace()
		if err != nil {
			return nil, 0, s.eofError(err)
		}
		if c == ']' {
			s.readByte()
			return nil, 0, s.finish()
		}
		return s.element()
	case 1:
		return s.element()
	case 2:
		c, err := s.skipSpace()
		if err != nil {
			return nil, 0, s.eofError(err)
		}
		s.readByte()
		switch c {
		case ']':
			return nil, 0, s.finish()
		case ',':
			return s.element()
		}
		return nil, 0, s.errorf("invalid JSON at byte %d: "+
			"expected ',' or ']' after an array element", s.col)
	}
	return nil, 0, io.EOF
}

func (s *arraySource) eofError(err error) error {
	if err == io.EOF {
		return s.errorf("invalid JSON: unexpected end of input inside the array")
	}
	return err
}

// finish checks that only whitespace follows the closing bracket.
func (s *arraySource) finish() error {
	s.state = 3
	_, err := s.skipSpace()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return err
	}
	return s.errorf("unexpected data after the JSON array")
}

// element reads one array element, which must be an object.
func (s *arraySource) element() ([]byte, int64, error) {
	c, err := s.skipSpace()
	if err != nil {
		return nil, 0, s.eofError(err)
	}
	if c != '{' {
		return nil, 0, s.errorf("an array element is not a JSON object")
	}
	s.state = 2
	s.startLine, s.startCol = s.line, s.col
	s.buf = s.buf[:0]
	stack := s.stack[:0]
	defer func() { s.stack = stack[:0] }()
	var st jsonStringState
	for {
		c, err := s.readByte()
		if err != nil {
			return nil, 0, s.eofError(err)
		}
		s.buf = append(s.buf, c)
		if st.step(c) {
			continue
		}
		switch c {
		case '{', '[':
			if len(stack) >= maxJSONDepth {
				return nil, 0, s.errorf("invalid JSON: objects and arrays nested too deeply")
			}
			stack = append(stack, c)
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1]+2 != c {
				return nil, 0, s.errorf("invalid JSON at byte %d: mismatched bracket", s.col)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return s.buf, s.startLine, nil
			}
		}
	}
}

func (s *arraySource) position(off int) (int64, int) {
	if off > len(s.buf) {
		off = len(s.buf)
	}
	before := s.buf[:off]
	n := bytes.Count(before, []byte{'\n'})
	if n == 0 {
		return s.startLine, s.startCol + off + 1
	}
	return s.startLine + int64(n), off - bytes.LastIndexByte(before, '\n')
}

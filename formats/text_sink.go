package formats

import (
	"bufio"
	"fmt"
)

// textSink is the buffered end of the text writers (CSV, lines): it keeps
// the first write error and flushes once on close. It never closes the
// underlying io.Writer.
type textSink struct {
	w      *bufio.Writer
	name   string
	err    error
	closed bool
}

// close flushes the buffered text and returns the first error of the writer.
func (s *textSink) close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		s.err = fmt.Errorf("write %s: %w", s.name, err)
	}
	return s.err
}

package formats

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

// sinkQueueBytes bounds the bytes an asyncSink holds that are not yet
// written: a Write waits while the queue is over it. A write larger than
// the bound still goes through once the queue is empty.
const sinkQueueBytes = 16 << 20

// errSinkFlushed is returned by a Write after flush.
var errSinkFlushed = errors.New("write after the Parquet output was flushed")

// asyncSink hands what is written to it to the underlying writer on another
// goroutine, so that the encoding goroutines go on with the next row group
// while the file system copies the last one (about a tenth of the CPU of a
// Parquet to Parquet run was spent in those writes). Write copies p (its
// caller, arrow-go, frees the buffer on return) and returns at once; a
// failure of the underlying writer is returned by a later Write or by
// flush. Offsets in the file are unaffected: arrow-go counts the bytes it
// passes to Write.
//
// The goroutine runs only while bytes are queued and exits when the queue
// is empty, so an abandoned writer leaves no goroutine behind once its
// last bytes are written.
type asyncSink struct {
	w io.Writer

	mu      sync.Mutex
	cond    sync.Cond // signalled when the queue or running changes
	queue   [][]byte
	queued  int  // bytes in queue
	running bool // the writing goroutine is running
	flushed bool
	err     error // the first failure of w
}

func newAsyncSink(w io.Writer) *asyncSink {
	s := &asyncSink{w: w}
	s.cond.L = &s.mu
	return s
}

// Write implements io.Writer. It blocks while more than sinkQueueBytes are
// queued.
func (s *asyncSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	for s.err == nil && s.queued > 0 && s.queued+len(p) > sinkQueueBytes {
		s.cond.Wait()
	}
	err := s.err
	if err == nil && s.flushed {
		err = errSinkFlushed
	}
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}

	b := bytes.Clone(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, b)
	s.queued += len(b)
	if !s.running {
		s.running = true
		go s.run()
	}
	return len(p), nil
}

// run writes the queue in order until it is empty. After a failure it
// drops the rest.
func (s *asyncSink) run() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queue) > 0 {
		b := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		failed := s.err != nil
		s.mu.Unlock()
		var err error
		if !failed {
			err = writeFull(s.w, b)
		}
		s.mu.Lock()
		if err != nil && s.err == nil {
			s.err = err
		}
		s.queued -= len(b)
		s.cond.Broadcast()
	}
	s.queue = nil
	s.running = false
	s.cond.Broadcast()
}

// writeFull writes b to w, reporting a short write as an error.
func writeFull(w io.Writer, b []byte) error {
	n, err := w.Write(b)
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// flush waits until every queued byte is written and returns the first
// failure. Later writes fail. It does not close the underlying writer.
func (s *asyncSink) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushed = true
	for s.running {
		s.cond.Wait()
	}
	return s.err
}

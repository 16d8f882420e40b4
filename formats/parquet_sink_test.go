package formats

import (
	"bytes"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// gatedWriter records what it is given; each Write waits for a value on
// gate when gate is not nil.
type gatedWriter struct {
	gate chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
	fail error
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if g.gate != nil {
		<-g.gate
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fail != nil {
		return 0, g.fail
	}
	return g.buf.Write(p)
}

// TestAsyncSinkOrder: bytes reach the writer in order, whole, and the
// caller's buffer may be reused as soon as Write returns.
func TestAsyncSinkOrder(t *testing.T) {
	before := runtime.NumGoroutine()
	var g gatedWriter
	s := newAsyncSink(&g)
	var want bytes.Buffer
	p := make([]byte, 1000)
	for i := range 500 {
		for j := range p {
			p[j] = byte(i + j)
		}
		want.Write(p[:i])
		if n, err := s.Write(p[:i]); n != i || err != nil {
			t.Fatalf("write %d: %d, %v", i, n, err)
		}
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g.buf.Bytes(), want.Bytes()) {
		t.Fatal("the writer got other bytes")
	}
	if _, err := s.Write([]byte("late")); !errors.Is(err, errSinkFlushed) {
		t.Fatalf("write after flush: %v", err)
	}
	waitGoroutines(t, before)
}

// TestAsyncSinkBounded: a Write waits while more than sinkQueueBytes are
// queued; a single larger write goes through on an empty queue.
func TestAsyncSinkBounded(t *testing.T) {
	g := gatedWriter{gate: make(chan struct{})}
	s := newAsyncSink(&g)
	big := make([]byte, sinkQueueBytes/2+1)
	if _, err := s.Write(big); err != nil { // queued: the writer waits on its gate
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := s.Write(big); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-done:
		t.Fatal("a write over the bound did not wait")
	case <-time.After(50 * time.Millisecond):
	}
	g.gate <- struct{}{} // the first write completes, the second is queued
	<-done
	close(g.gate)
	if _, err := s.Write(make([]byte, 2*sinkQueueBytes)); err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if g.buf.Len() != 2*len(big)+2*sinkQueueBytes {
		t.Fatalf("%d bytes written", g.buf.Len())
	}
}

// TestAsyncSinkError: a failure of the writer is returned by a later Write
// and by flush, and the queued rest is dropped.
func TestAsyncSinkError(t *testing.T) {
	errDisk := errors.New("disk full")
	g := gatedWriter{fail: errDisk}
	s := newAsyncSink(&g)
	if _, err := s.Write([]byte("a")); err != nil {
		t.Fatalf("first write: %v", err)
	}
	var err error
	for range 1000 {
		if _, err = s.Write([]byte("b")); err != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(err, errDisk) {
		t.Fatalf("later write: %v, want the writer's error", err)
	}
	if err := s.flush(); !errors.Is(err, errDisk) {
		t.Fatalf("flush: %v, want the writer's error", err)
	}
}

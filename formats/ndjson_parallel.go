// This file holds the parallel NDJSON reader: after schema inference, one
// goroutine cuts the input into chunks of whole lines, several goroutines
// decode chunks into batches, and Next hands the batches out in input order.

package formats

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ndjsonReadSize is the size of each read from the input. A variable for
// tests.
var ndjsonReadSize = 1 << 20

// ndjsonChunkBytes is the size from which a chunk may end. Smaller chunks
// mean smaller batches, so less memory in flight here and in the pipeline
// after the reader, and more overhead per row. A variable for tests.
var ndjsonChunkBytes = 4 << 20

// ndjsonAlign is the row step at which a chunk may end inside a batch of the
// sequential reader. The Parquet writer (arrow-go's column writers, with
// their default write batch size of 1024) cuts each batch it is given into
// runs of 1024 values and decides page ends between runs, so batches cut at
// multiples of 1024 rows of the sequential batches give the same pages, and
// the same file, as the sequential batches. Known shortcomings: with a row
// group size that is not a multiple of 1024 the writer restarts its runs
// inside a batch, so the file may differ from a sequential read in its page
// boundaries (never in its values); and with a BatchSize that is not a
// multiple of 1024 a chunk is a whole batch, so chunks are not smaller than
// batches. A variable for tests.
var ndjsonAlign int64 = 1024

// ndjsonChunk is the input of one batch: whole lines, holding the records of
// a sequential batch (BatchSize records), or of a part of one that ends at a
// multiple of ndjsonAlign rows once it holds ndjsonChunkBytes bytes. Rows,
// batch boundaries and errors do not depend on the number of goroutines. A
// chunk never holds more than a sequential batch; with records of over
// ndjsonChunkBytes/ndjsonAlign bytes it holds ndjsonAlign of them, so wide
// records make it large.
type ndjsonChunk struct {
	// pre holds the records read for inference, decoded before data. Only
	// the first chunk has them.
	pre *jsonReader

	data []byte // whole lines; only the input's last may lack its '\n'
	line int64  // the line number of data's first line
	row  int64  // the rows before the chunk
	rows int    // the records in pre and data

	// err is an error found after the chunk's records: a read error or a
	// line too long. The chunker stops after it.
	err error

	done chan ndjsonResult // the decoded batch, sent once
}

// ndjsonResult is a decoded chunk: a batch (nil without records) or the
// first error in it.
type ndjsonResult struct {
	batch arrow.RecordBatch
	err   error
}

// ndjsonParallel is the parallel NDJSON reader. Memory is bounded by
// tokens: a chunk holds one from the moment the chunker starts filling it
// until Next hands out its batch, so at most cap(tokens) chunks and batches
// exist at once (besides the batch the caller holds).
type ndjsonParallel struct {
	seq     *jsonReader // inference result; its decoder is cloned per worker
	src     *lineSource
	workers int
	mem     memory.Allocator

	started bool
	stopped bool
	quit    chan struct{}
	tokens  chan struct{}
	order   chan *ndjsonChunk // chunks in input order, for Next
	work    chan *ndjsonChunk // chunks to decode, for the workers
	free    chan []byte       // chunk buffers to reuse
	wg      sync.WaitGroup

	cur  arrow.RecordBatch
	err  error
	done bool
}

// newNDJSONParallel returns a reader that decodes the rest of src with
// workers goroutines, starting with the records seq buffered for inference.
func newNDJSONParallel(seq *jsonReader, src *lineSource, workers int) *ndjsonParallel {
	// Two chunks per worker: one decoding, one read ahead or waiting for
	// Next. Each costs about 2 * ndjsonChunkBytes of memory (raw bytes and
	// Arrow arrays).
	n := 2 * workers
	return &ndjsonParallel{
		seq: seq, src: src, workers: workers, mem: seq.mem,
		quit:   make(chan struct{}),
		tokens: make(chan struct{}, n),
		order:  make(chan *ndjsonChunk, n),
		work:   make(chan *ndjsonChunk, n),
		free:   make(chan []byte, n),
	}
}

// Schema implements Reader.
func (r *ndjsonParallel) Schema() *arrow.Schema { return r.seq.schema }

// RecordBatch implements Reader.
func (r *ndjsonParallel) RecordBatch() arrow.RecordBatch { return r.cur }

// Err implements Reader.
func (r *ndjsonParallel) Err() error { return r.err }

// Next implements Reader.
func (r *ndjsonParallel) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil || r.done {
		return false
	}
	if !r.started {
		r.start()
	}
	for {
		c, ok := <-r.order
		if !ok {
			r.done = true
			return false
		}
		res := <-c.done
		<-r.tokens
		if c.pre != nil {
			// The workers are done with the inference records.
			r.seq.pending, r.seq.pendingOff, r.seq.pendingLn = nil, nil, nil
		}
		if res.err != nil {
			r.err = res.err
			r.stop()
			return false
		}
		if res.batch != nil {
			r.cur = res.batch
			return true
		}
	}
}

// Close implements Reader. It stops the goroutines and waits for them.
// Known shortcoming: a read in progress is not interrupted, so on a pipe
// whose writer neither writes nor closes, Close waits for it.
func (r *ndjsonParallel) Close() error {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.started {
		r.stop()
		r.wg.Wait()
		// The goroutines are gone: release what nobody will take.
		for c := range r.order {
			select {
			case res := <-c.done:
				if res.batch != nil {
					res.batch.Release()
				}
			default:
			}
		}
	}
	r.seq.Close()
	r.done = true
	return nil
}

// stop tells the goroutines to stop.
func (r *ndjsonParallel) stop() {
	if !r.stopped {
		r.stopped = true
		close(r.quit)
	}
}

// start launches the chunker and the workers.
func (r *ndjsonParallel) start() {
	r.started = true
	// The sequential reader's builders are not used: each worker has its own.
	r.seq.release()
	r.wg.Add(1 + r.workers)
	go r.chunker()
	for range r.workers {
		go r.worker(r.seq.clone(r.mem))
	}
}

// chunker cuts the input into chunks and sends each to Next and to a worker.
func (r *ndjsonParallel) chunker() {
	defer r.wg.Done()
	defer close(r.order)
	defer close(r.work)
	ck := chunker{src: r.src, line: r.src.line, row: r.src.rows,
		batch: int64(r.seq.opt.BatchSize), align: int64(r.seq.opt.BatchSize)}
	if ck.batch%ndjsonAlign == 0 {
		ck.align = ndjsonAlign
	}
	pre := r.seq
	for {
		select {
		case r.tokens <- struct{}{}:
		case <-r.quit:
			return
		}
		var buf []byte
		select {
		case buf = <-r.free:
		default:
		}
		c := &ndjsonChunk{pre: pre, done: make(chan ndjsonResult, 1)}
		size := ndjsonChunkBytes
		if pre != nil {
			c.rows = len(pre.pendingOff)
			size -= len(pre.pending)
			pre = nil
		}
		c.line, c.row = ck.line+1, ck.row-int64(c.rows)
		err := ck.fill(c, buf, size)
		if c.rows == 0 && err == nil {
			<-r.tokens
			return
		}
		c.err = err
		select {
		case r.order <- c:
		case <-r.quit:
			return
		}
		select {
		case r.work <- c:
		case <-r.quit:
			return
		}
		if err != nil || ck.eof && len(ck.carry) == 0 {
			return
		}
	}
}

// worker decodes chunks with its own decoder.
func (r *ndjsonParallel) worker(d *jsonDecoder) {
	defer r.wg.Done()
	defer d.release()
	for c := range r.work {
		select {
		case <-r.quit:
			return
		default:
		}
		res := r.decode(d, c)
		if cap(c.data) <= 2*(ndjsonChunkBytes+ndjsonReadSize) {
			// Reuse the buffer, unless a long line made it large.
			select {
			case r.free <- c.data[:0]:
			default:
			}
		}
		c.done <- res
	}
}

// decode decodes the records of c into a batch.
func (r *ndjsonParallel) decode(d *jsonDecoder, c *ndjsonChunk) ndjsonResult {
	d.reserve(c.rows)
	row := c.row
	if p := c.pre; p != nil {
		for i, off := range p.pendingOff {
			end := len(p.pending)
			if i+1 < len(p.pendingOff) {
				end = p.pendingOff[i+1]
			}
			row++
			// These records were parsed once already: no syntax error.
			if err := d.appendRecord(p.pending[off:end], p.pendingLn[i], row); err != nil {
				d.discard()
				return ndjsonResult{err: r.placeError(err, p.pendingLn[i], row)}
			}
		}
	}
	line := c.line - 1
	for data := c.data; len(data) > 0; {
		b := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			b, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line++
		if isJSONSpace(b) {
			continue
		}
		row++
		if err := d.appendRecord(b, line, row); err != nil {
			d.discard()
			return ndjsonResult{err: r.placeError(err, line, row)}
		}
	}
	if c.err != nil {
		d.discard()
		return ndjsonResult{err: c.err}
	}
	if n := int(row - c.row); n > 0 {
		return ndjsonResult{batch: d.batch(r.seq.schema, n)}
	}
	return ndjsonResult{}
}

// placeError turns a syntax error into a ParseError at line and row, as the
// sequential reader does; other errors are returned as they are.
func (r *ndjsonParallel) placeError(err error, line, row int64) error {
	var se *jsonSyntaxError
	if errors.As(err, &se) {
		return se.at(r.seq.opt.Name, line, se.off+1, row)
	}
	return err
}

// chunker reads whole lines from a lineSource after inference.
type chunker struct {
	src   *lineSource
	carry []byte // bytes read after the last chunk, from a line start
	line  int64  // lines before carry
	row   int64  // records before carry
	batch int64  // BatchSize
	align int64  // the row step at which a chunk may end before a batch does
	eof   bool
	zeros int // reads in a row that returned nothing
}

// full reports whether a chunk of size bytes so far, with the records before
// it, may end: at a batch boundary, or at a multiple of align once it holds
// want bytes.
func (k *chunker) full(size, want int) bool {
	return k.row%k.batch == 0 || size >= want && k.row%k.align == 0
}

// fill reads lines into buf until the chunk is full (see full) or the input
// ends, counting records in c.rows, and sets c.data. It returns an error that
// stops the input: a read error or a line too long, found after the records.
func (k *chunker) fill(c *ndjsonChunk, buf []byte, want int) error {
	if buf == nil {
		buf = make([]byte, 0, ndjsonChunkBytes+ndjsonReadSize)
	}
	buf = append(buf[:0], k.carry...)
	pos := 0
	var err error
	for c.rows == 0 || !k.full(pos, want) {
		i := bytes.IndexByte(buf[pos:], '\n')
		if i < 0 {
			if len(buf)-pos > maxNDJSONLine {
				err = lineTooLong(k.src.name, k.line+1, k.row+1)
				break
			}
			if k.eof {
				if pos < len(buf) {
					k.line++
					if !isJSONSpace(buf[pos:]) {
						c.rows++
						k.row++
					}
					pos = len(buf)
				}
				break
			}
			if buf, err = k.read(buf); err != nil {
				break
			}
			continue
		}
		if i > maxNDJSONLine {
			err = lineTooLong(k.src.name, k.line+1, k.row+1)
			break
		}
		k.line++
		if !isJSONSpace(buf[pos : pos+i]) {
			c.rows++
			k.row++
		}
		pos += i + 1
	}
	if rest := buf[pos:]; cap(k.carry) > 2*ndjsonReadSize && len(rest) <= ndjsonReadSize {
		// A long line made carry large: let it go.
		k.carry = append([]byte(nil), rest...)
	} else {
		k.carry = append(k.carry[:0], rest...)
	}
	c.data = buf[:pos]
	return err
}

// read appends up to ndjsonReadSize bytes of input to buf, fewer when buf
// is nearly full. It grows buf only when it is full, for a line longer than
// what a chunk leaves: buffers are reused.
func (k *chunker) read(buf []byte) ([]byte, error) {
	if cap(buf)-len(buf) < max(ndjsonReadSize/16, 1) {
		nb := make([]byte, len(buf), max(2*cap(buf), len(buf)+ndjsonReadSize))
		copy(nb, buf)
		buf = nb
	}
	m, err := k.src.r.Read(buf[len(buf):min(cap(buf), len(buf)+ndjsonReadSize)])
	buf = buf[:len(buf)+m]
	switch {
	case err == io.EOF:
		k.eof = true
		return buf, nil
	case err != nil:
		return buf, readError(k.src.name, err)
	case m == 0:
		if k.zeros++; k.zeros >= 100 {
			return buf, readError(k.src.name, io.ErrNoProgress)
		}
	default:
		k.zeros = 0
	}
	return buf, nil
}

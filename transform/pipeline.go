package transform

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Source yields record batches. A batch returned by RecordBatch is only valid
// until the next call to Next; formats readers and arrow's
// array.RecordReader satisfy it.
type Source interface {
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
}

// Sink receives output batches in input order. It must not keep a batch after
// Write returns without retaining it.
type Sink interface {
	Write(arrow.RecordBatch) error
}

// RunOptions tune [Run].
type RunOptions struct {
	// Secret keys the consistent strategies.
	Secret Secret

	// Workers is the number of transform goroutines; 0 means GOMAXPROCS.
	Workers int

	// Mem allocates output arrays; nil means the Go allocator.
	Mem memory.Allocator

	// Progress, if set, is called from the writing goroutine after each
	// batch with the number of input rows done so far.
	Progress func(rowsRead int64)
}

// Stats count what a run did.
type Stats struct {
	// RowsRead is the number of input rows.
	RowsRead int64

	// RowsWritten is the number of output rows.
	RowsWritten int64

	// Batches is the number of batches read.
	Batches int64

	// Changed counts, per output column of the plan, the values that differ
	// from the input (a null that became a value counts, and so does a value
	// that became null).
	Changed []int64
}

type job struct {
	seq    int64
	offset int64
	batch  arrow.RecordBatch
}

type result struct {
	seq     int64
	rowsIn  int64
	batch   arrow.RecordBatch
	changed []int64
	err     error
}

// Run reads every batch from src, applies the plan with several workers, and
// writes the results to dst in input order. Memory is bounded: at most a few
// batches per worker are in flight. On the first error it stops and returns
// it; batches written before the error are not undone (the caller writes to a
// temporary file).
func Run(ctx context.Context, p *Plan, src Source, dst Sink, opt RunOptions) (Stats, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan job, workers)
	results := make(chan result, workers)

	// Read: one goroutine, batches retained because the source reuses them.
	var readErr error
	go func() {
		defer close(jobs)
		var seq, offset int64
		for src.Next() {
			b := src.RecordBatch()
			b.Retain()
			select {
			case jobs <- job{seq: seq, offset: offset, batch: b}:
			case <-ctx.Done():
				b.Release()
				return
			}
			seq++
			offset += b.NumRows()
		}
		readErr = src.Err()
	}()

	// Transform: each worker has its own keyed hash and generator.
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := NewWorker(opt.Secret, mem)
			for j := range jobs {
				out, changed, err := p.apply(w, j.batch, j.offset)
				rows := j.batch.NumRows()
				j.batch.Release()
				select {
				case results <- result{j.seq, rows, out, changed, err}:
				case <-ctx.Done():
					if out != nil {
						out.Release()
					}
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Write: restore input order.
	stats := Stats{Changed: make([]int64, len(p.Columns))}
	pending := map[int64]result{}
	var next int64
	var runErr error
	for r := range results {
		if runErr != nil {
			release(r.batch)
			continue
		}
		pending[r.seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := stats.add(r, dst); err != nil {
				runErr = err
				cancel()
				break
			}
			if opt.Progress != nil {
				opt.Progress(stats.RowsRead)
			}
		}
	}
	for _, r := range pending {
		release(r.batch)
	}

	if runErr != nil {
		return stats, runErr
	}
	if readErr != nil {
		return stats, readErr
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return stats, err
	}
	return stats, context.Cause(ctx)
}

func (s *Stats) add(r result, dst Sink) error {
	defer release(r.batch)
	if r.err != nil {
		return r.err
	}

	s.Batches++
	s.RowsRead += r.rowsIn
	s.RowsWritten += r.batch.NumRows()
	for i, c := range r.changed {
		s.Changed[i] += c
	}
	return dst.Write(r.batch)
}

func release(b arrow.RecordBatch) {
	if b != nil {
		b.Release()
	}
}

// apply runs the plan on one batch and counts changed values per column.
func (p *Plan) apply(w *Worker, b arrow.RecordBatch,
	offset int64) (arrow.RecordBatch, []int64, error) {
	cols := make([]arrow.Array, len(p.Columns))
	changed := make([]int64, len(p.Columns))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()

	for i, c := range p.Columns {
		in := b.Column(c.Input)
		if c.Impl == nil {
			in.Retain()
			cols[i] = in
			continue
		}

		out, err := c.Impl.Apply(w, Input{Batch: b, Column: c.Input, Offset: offset})
		if err != nil {
			return nil, nil, err
		}
		if out.Len() != in.Len() {
			out.Release()
			return nil, nil, fmt.Errorf("transform: strategy %s returned %d rows for %d",
				c.Strategy, out.Len(), in.Len())
		}
		cols[i] = out
		changed[i] = countChanged(in, out)
	}

	out := array.NewRecordBatch(p.Out, cols, b.NumRows())
	if p.Stage == nil {
		return out, changed, nil
	}

	staged, err := p.Stage.ApplyBatch(w, out, offset)
	out.Release()
	if err != nil {
		return nil, nil, err
	}
	return staged, changed, nil
}

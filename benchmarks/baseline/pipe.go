package main

import (
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

type item struct {
	seq   int64
	batch arrow.RecordBatch
}

// pipe moves every batch from src to dst through one reader goroutine,
// workers pass-through goroutines and an ordered writer, joined by bounded
// channels (the shape of anon's pipeline, without transforms). Each worker
// rebuilds the batch from its columns, as a transform that changes nothing
// would.
func pipe(src source, dst sink, workers int) (int64, error) {
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan item, workers)
	results := make(chan item, workers)
	done := make(chan struct{})
	defer close(done)

	go func() {
		defer close(jobs)
		var seq int64
		for src.Next() {
			b := src.RecordBatch()
			b.Retain()
			select {
			case jobs <- item{seq, b}:
			case <-done:
				b.Release()
				return
			}
			seq++
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out := array.NewRecordBatch(j.batch.Schema(), j.batch.Columns(),
					j.batch.NumRows())
				j.batch.Release()
				select {
				case results <- item{j.seq, out}:
				case <-done:
					out.Release()
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int64]arrow.RecordBatch{}
	var next, rows int64
	var err error
	for r := range results {
		if err != nil {
			r.batch.Release()
			continue
		}
		pending[r.seq] = r.batch
		for b, ok := pending[next]; ok; b, ok = pending[next] {
			delete(pending, next)
			next++
			rows += b.NumRows()
			if werr := dst.Write(b); werr != nil {
				err = fmt.Errorf("write: %w", werr)
			}
			b.Release()
			if err != nil {
				break
			}
		}
	}
	for _, b := range pending {
		b.Release()
	}
	if err != nil {
		return rows, err
	}
	if rerr := src.Err(); rerr != nil {
		return rows, fmt.Errorf("read: %w", rerr)
	}
	return rows, nil
}

package transform

import (
	"bytes"
	"hash/maphash"

	"github.com/apache/arrow-go/v18/arrow"
)

// This file holds a small per-worker cache for strategies whose output is a
// pure function of the value (fake, hash). Real columns repeat values
// (first names, cities, status codes), and a repeated value then costs a
// lookup instead of a keyed HMAC and a fake. The cache never changes an
// output: it only remembers outputs computed before.

const (
	// memoSlots is the number of cache slots of one strategy in one worker.
	// A slot holds one value and its output; a new value evicts the value in
	// its slot (the cache is direct-mapped).
	memoSlots = 1 << 14

	// memoSample is how many values of each batch are looked up before the
	// cache decides whether it pays for that batch.
	memoSample = 4096

	// memoMinHitShare is the share of hits (1 in memoMinHitShare) below
	// which the cache is bypassed for the rest of the batch: mostly distinct
	// values (emails, IDs) would only pay for storing entries.
	memoMinHitShare = 8
)

// textMemo caches the outputs of one strategy in one worker.
type textMemo struct {
	seed  maphash.Seed
	slots []memoEntry

	// on is false once the current batch's sample showed too few hits.
	on bool

	// lookups and hits count the current batch's sample.
	lookups, hits int
}

// memoEntry is a value and its output, stored in one buffer: the value is
// entry[:valueLen]. A new entry overwrites the slot's buffer in place, so
// the cache stops allocating once its buffers have grown to the column's
// value sizes. An unused slot has used false (the empty string is a value
// like any other).
type memoEntry struct {
	entry    []byte
	valueLen int
	used     bool
}

func newTextMemo() *textMemo {
	return &textMemo{seed: maphash.MakeSeed(), slots: make([]memoEntry, memoSlots)}
}

// startBatch turns the cache on and starts a new sample.
func (m *textMemo) startBatch() {
	m.on = true
	m.lookups, m.hits = 0, 0
}

// slot returns the slot of v.
func (m *textMemo) slot(v []byte) *memoEntry {
	return &m.slots[maphash.Bytes(m.seed, v)&(memoSlots-1)]
}

// get returns the cached output of v, if any. The output is valid until the
// next put.
func (m *textMemo) get(v []byte) ([]byte, bool) {
	e := m.slot(v)
	hit := e.used && e.valueLen == len(v) &&
		bytes.Equal(e.entry[:len(v)], v)

	if m.lookups < memoSample {
		m.lookups++
		if hit {
			m.hits++
		}
		if m.lookups == memoSample && m.hits*memoMinHitShare < m.lookups {
			m.on = false
		}
	}
	if !hit {
		return nil, false
	}
	return e.entry[len(v):], true
}

// put caches out as the output of v.
func (m *textMemo) put(v, out []byte) {
	e := m.slot(v)
	e.entry = append(append(e.entry[:0], v...), out...)
	e.valueLen, e.used = len(v), true
}

// memo returns the worker's cache for the strategy owner, creating it.
func (w *Worker) memo(owner Strategy) *textMemo {
	if w.memos == nil {
		w.memos = map[Strategy]*textMemo{}
	}
	m, ok := w.memos[owner]
	if !ok {
		m = newTextMemo()
		w.memos[owner] = m
	}
	return m
}

// mapTextMemo is [MapText] for a strategy s whose output, given by fn, is a
// pure function of the input value: outputs of repeated values come from the
// worker's cache for s.
func mapTextMemo(w *Worker, s Strategy, in Input,
	fn func(dst, v []byte) ([]byte, error)) (arrow.Array, error) {
	m := w.memo(s)
	m.startBatch()
	return MapText(w, in, func(dst, v []byte) ([]byte, error) {
		if !m.on {
			return fn(dst, v)
		}
		if out, ok := m.get(v); ok {
			return append(dst, out...), nil
		}

		start := len(dst)
		dst, err := fn(dst, v)
		if err == nil {
			m.put(v, dst[start:])
		}
		return dst, err
	})
}

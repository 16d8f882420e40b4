package main

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/anon-data/anon/detect"
)

// The leak check runs in three passes:
//
//  1. over the original: the hash of every non-empty value of each protected
//     column (for scrub, of every PII span inside it) goes into a filter;
//  2. over the output: every value of every column the profile does not
//     generate, and every piece of it that starts and ends at a word
//     boundary, is looked up; hits become candidates, kept as text;
//  3. over the original again, only if there are candidates: a candidate is
//     confirmed when it equals a protected value exactly, and excused when it
//     equals a value of a kept column (an email "Unknown" beside a gender
//     "Unknown" is not a leak).
//
// Columns the profile generates (fake, hash, mask, ...) are compared row by
// row with their original instead: an unchanged value is a leak.

const (
	// minInsideRunes is the shortest protected value searched inside longer
	// output values; shorter ones are searched as whole values only.
	minInsideRunes = 6

	// maxInsideBytes is the longest protected value searched inside longer
	// output values.
	maxInsideBytes = 128

	// maxInsideSegments bounds the words and separators a piece of output
	// text may span: 16 covers an IPv6 address or a name of 8 words.
	maxInsideSegments = 16
)

// leakColumn is one protected column of the original.
type leakColumn struct {
	name, strategy string
	values         int64           // non-empty values (or spans) hashed
	leaked         int64           // distinct values found in the output
	foundIn        map[string]bool // output columns they were found in
	unchanged      int64           // rows whose own output value is the original
}

// candidate is a piece of output that the filter could not rule out.
type candidate struct {
	in          []int // output columns it was seen in
	protectedBy []int // protected columns it is a value of
	kept        bool  // it is also a value of a kept column
}

// leakCheck is the state of the leak check.
type leakCheck struct {
	cols      []*leakColumn
	filter    *hashSet
	bloom     *bloom
	lengths   [maxInsideBytes + 1]bool
	anyLength bool

	outNames   []string
	cands      map[string]*candidate
	candBytes  int64
	candBudget int64
	overflow   bool
	windows    int64 // filter lookups in pass 2
	bounds     []int
}

func newLeakCheck(memory int64) *leakCheck {
	return &leakCheck{filter: newHashSet(memory / 2), cands: map[string]*candidate{},
		candBudget: memory / 4}
}

// addColumn registers a protected column of the original.
func (l *leakCheck) addColumn(name, strategy string) {
	l.cols = append(l.cols, &leakColumn{name: name, strategy: strategy,
		foundIn: map[string]bool{}})
}

// protectedValues calls fn with every protected value of column c in batch:
// the whole non-empty values, or the PII spans of a scrubbed column.
func (l *leakCheck) protectedValues(batch arrow.RecordBatch, c *leakColumn, fn func(string)) {
	idx := batch.Schema().FieldIndices(c.name)
	if len(idx) == 0 {
		return
	}
	text := textOf(batch.Column(idx[0]))
	for i := 0; i < int(batch.NumRows()); i++ {
		v := text(i)
		if v == "" {
			continue
		}
		if c.strategy != "scrub" {
			fn(v)
			continue
		}
		for _, sp := range detect.FindSpans(v) {
			if sp.Start < sp.End && sp.End <= len(v) {
				fn(v[sp.Start:sp.End])
			}
		}
	}
}

// collect is pass 1: it adds the protected values of batch to the filter.
func (l *leakCheck) collect(batch arrow.RecordBatch) {
	for _, c := range l.cols {
		l.protectedValues(batch, c, func(v string) {
			c.values++
			l.filter.add(valueHash(v))
			if len(v) <= maxInsideBytes && utf8.RuneCountInString(v) >= minInsideRunes {
				l.lengths[len(v)] = true
				l.anyLength = true
			}
		})
	}
}

// freeze ends pass 1.
func (l *leakCheck) freeze() { l.bloom = l.filter.freeze() }

// search is pass 2 for one searched output column of batch.
func (l *leakCheck) search(batch arrow.RecordBatch, col int) {
	text := textOf(batch.Column(col))
	for i := 0; i < int(batch.NumRows()); i++ {
		v := text(i)
		if v == "" {
			continue
		}
		l.windows++
		if l.bloom.has(valueHash(v)) {
			l.record(v, col)
		}
		if l.anyLength && len(v) > minInsideRunes {
			l.searchInside(v, col)
		}
	}
}

// wordByte reports whether c belongs to a word: an ASCII letter or digit,
// or any byte of a multi-byte UTF-8 character.
func wordByte(c byte) bool {
	return c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// searchInside looks up every piece of v that starts and ends where a word
// starts or ends, spans at most maxInsideSegments words and separators, and
// has the length of some protected value. A protected value glued inside a
// longer word (a phone number after a country code, with no separator) is
// not found.
func (l *leakCheck) searchInside(v string, col int) {
	n := len(v)
	b := l.bounds[:0]
	for p := 0; p <= n; p++ {
		if p == 0 || p == n || wordByte(v[p-1]) != wordByte(v[p]) {
			b = append(b, p)
		}
	}
	l.bounds = b
	for si := 0; si < len(b)-1; si++ {
		s, p := b[si], b[si]
		var h uint64
		for ei := si + 1; ei < len(b) && ei-si <= maxInsideSegments; ei++ {
			e := b[ei]
			if e-s > maxInsideBytes {
				break
			}
			for ; p < e; p++ {
				h = h*hashBase + uint64(foldByte(v[p])) + 1
			}
			if s == 0 && e == n || !l.lengths[e-s] {
				continue
			}
			l.windows++
			if !l.bloom.has(finish(h, e-s)) {
				continue
			}
			if w := v[s:e]; utf8.RuneCountInString(w) >= minInsideRunes {
				l.record(w, col)
			}
		}
	}
}

// record notes that candidate w was seen in output column col. Candidates
// are kept within their budget; beyond it the check cannot conclude.
func (l *leakCheck) record(w string, col int) {
	w = foldKey(w)
	c := l.cands[w]
	if c == nil {
		size := int64(len(w)) + 96
		if l.candBytes+size > l.candBudget {
			l.overflow = true
			return
		}
		l.candBytes += size
		c = &candidate{}
		l.cands[strings.Clone(w)] = c
	}
	if !slices.Contains(c.in, col) {
		c.in = append(c.in, col)
	}
}

// confirm is pass 3: it marks the candidates that are protected values of
// batch, and those that are values of its kept columns.
func (l *leakCheck) confirm(batch arrow.RecordBatch, kept []string) {
	for k, c := range l.cols {
		l.protectedValues(batch, c, func(v string) {
			if cand := l.cands[foldKey(v)]; cand != nil &&
				!slices.Contains(cand.protectedBy, k) {
				cand.protectedBy = append(cand.protectedBy, k)
			}
		})
	}
	for _, name := range kept {
		idx := batch.Schema().FieldIndices(name)
		if len(idx) == 0 {
			continue
		}
		text := textOf(batch.Column(idx[0]))
		for i := 0; i < int(batch.NumRows()); i++ {
			if cand := l.cands[foldKey(text(i))]; cand != nil {
				cand.kept = true
			}
		}
	}
}

// tally counts the confirmed leaks per protected column. It returns the
// number of candidates the exact check ruled out and of those excused as
// kept values.
func (l *leakCheck) tally() (ruledOut, excused int) {
	for _, cand := range l.cands {
		switch {
		case len(cand.protectedBy) == 0:
			ruledOut++
		case cand.kept:
			excused++
		default:
			for _, k := range cand.protectedBy {
				c := l.cols[k]
				c.leaked++
				for _, col := range cand.in {
					c.foundIn[l.outNames[col]] = true
				}
			}
		}
	}
	return ruledOut, excused
}

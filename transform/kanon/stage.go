package kanon

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/anon-data/anon/transform"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// errUnseen is the cause of a row error for a value the first pass did not
// see (the input changed between the passes).
var errUnseen = errors.New("value not seen in the first pass")

// Stage returns the second pass: a [transform.BatchStage] that replaces the
// quasi-identifier columns with their generalized text (utf8) and removes the
// suppressed rows or sets all their quasi-identifiers to "*". It is safe for
// concurrent use and must see the same rows that [Prepare] counted, with the
// quasi-identifier and l-diversity columns unchanged by column strategies
// (keep); a value the first pass did not see is a [*transform.RowError].
func (r *Result) Stage() transform.BatchStage {
	return stage{r: r}
}

type stage struct {
	r *Result
}

// OutputSchema implements [transform.BatchStage].
func (s stage) OutputSchema(in *arrow.Schema) (*arrow.Schema, error) {
	isQI := map[string]bool{}
	for _, name := range s.r.cfg.Columns() {
		isQI[name] = true
	}
	for _, name := range s.r.counter.columns {
		if len(in.FieldIndices(name)) == 0 {
			return nil, fmt.Errorf("kanon: column %q is not in the input", name)
		}
	}

	fields := make([]arrow.Field, in.NumFields())
	for i, f := range in.Fields() {
		if isQI[f.Name] {
			f = arrow.Field{Name: f.Name, Type: arrow.BinaryTypes.String, Nullable: true}
		}
		fields[i] = f
	}
	md := in.Metadata()
	return arrow.NewSchema(fields, &md), nil
}

// ApplyBatch implements [transform.BatchStage].
func (s stage) ApplyBatch(w *transform.Worker, b arrow.RecordBatch,
	offset int64) (arrow.RecordBatch, error) {
	r := s.r
	mem := memory.Allocator(memory.DefaultAllocator)
	if w != nil && w.Mem != nil {
		mem = w.Mem
	}
	schema, err := s.OutputSchema(b.Schema())
	if err != nil {
		return nil, err
	}
	c := r.counter
	cols, err := columnsOf(b, c.columns)
	if err != nil {
		return nil, err
	}

	// Find each row's counted tuple.
	n := int(b.NumRows())
	tuples := make([]int32, n)
	key := make([]byte, 4*len(cols))
	read := make([]func(int) string, len(cols))
	for j, a := range cols {
		read[j] = textOf(a)
	}
	kept := 0
	for i := 0; i < n; i++ {
		for j := range cols {
			code, ok := c.dicts[j][read[j](i)]
			if !ok {
				return nil, &transform.RowError{
					Row: offset + int64(i) + 1, Column: c.columns[j], Err: errUnseen,
				}
			}
			binary.LittleEndian.PutUint32(key[4*j:], uint32(code))
		}
		t := c.lookup(key)
		if t < 0 || r.dm == nil {
			return nil, &transform.RowError{
				Row: offset + int64(i) + 1, Column: c.columns[0], Err: errUnseen,
			}
		}
		tuples[i] = t
		if !r.out.suppressed[t] || r.suppressed == SuppressStar {
			kept++
		}
	}

	keep := func(i int) bool {
		return !r.out.suppressed[tuples[i]] || r.suppressed == SuppressStar
	}
	qi := map[string]int{}
	for q, name := range r.cfg.Columns() {
		qi[name] = q
	}

	out := make([]arrow.Array, b.NumCols())
	defer func() {
		for _, a := range out {
			if a != nil {
				a.Release()
			}
		}
	}()
	for col := 0; col < int(b.NumCols()); col++ {
		if q, ok := qi[b.ColumnName(col)]; ok {
			out[col] = s.generalized(mem, q, tuples, keep, kept)
			continue
		}
		out[col], err = filter(mem, b.Column(col), keep, kept)
		if err != nil {
			return nil, err
		}
	}
	rec := array.NewRecordBatch(schema, out, int64(kept))
	return rec, nil
}

// generalized builds the output column of quasi-identifier q.
func (s stage) generalized(mem memory.Allocator, q int, tuples []int32,
	keep func(int) bool, kept int) arrow.Array {
	r := s.r
	bld := array.NewStringBuilder(mem)
	defer bld.Release()
	bld.Reserve(kept)
	for i, t := range tuples {
		if !keep(i) {
			continue
		}
		if r.out.suppressed[t] {
			bld.Append("*")
			continue
		}
		bld.Append(r.dm.label(q, int(r.out.levels[int(t)*r.dm.d+q]), int(t)))
	}
	return bld.NewArray()
}

// filter returns the rows of a for which keep holds, as slices of a's runs.
func filter(mem memory.Allocator, a arrow.Array, keep func(int) bool,
	kept int) (arrow.Array, error) {
	if kept == a.Len() {
		a.Retain()
		return a, nil
	}
	var runs []arrow.Array
	defer func() {
		for _, r := range runs {
			r.Release()
		}
	}()
	for i := 0; i < a.Len(); {
		if !keep(i) {
			i++
			continue
		}
		j := i
		for j < a.Len() && keep(j) {
			j++
		}
		runs = append(runs, array.NewSlice(a, int64(i), int64(j)))
		i = j
	}
	if len(runs) == 0 {
		return array.MakeArrayOfNull(mem, a.DataType(), 0), nil
	}
	return array.Concatenate(runs, mem)
}

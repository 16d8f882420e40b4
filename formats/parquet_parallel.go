package formats

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parallelParquet writes a Parquet file exactly as pqarrow.FileWriter with
// WriteBuffered and WithStoreSchema does (the same row groups, pages,
// statistics and footer, byte for byte), but encodes the columns of a batch
// on several goroutines at once.
//
// It works on a buffered row group (file.Writer.AppendBufferedRowGroup), in
// which every column chunk writer exists up front and keeps its pages in
// memory until the row group is closed. Each column is encoded by one
// goroutine at a time, in batch order, with pqarrow.WriteArrowToColumn, the
// function pqarrow itself ends in. Closing a row group flushes the last
// page of most columns in parallel too (closeRowGroup), then writes the
// chunks in column order on the calling goroutine, to an asyncSink that
// passes them to the file on another goroutine.
//
// What the goroutines share was checked in arrow-go v18.9.0: the column
// chunk writers keep their own encoders, statistics, level buffers, page
// writer (with its own in-memory sink, thrift serializer and page AAD) and
// metadata builder, which is only written to when the row group closes.
// The writer properties are only read; the allocator is the Go allocator;
// codecs are stateless (fastSnappy, s2) or pooled (zstd, gzip). With
// encryption, every column gets its own encryptor objects (made by
// file.rowGroupWriter.initColumns on the calling goroutine) and the AES
// encryptor they share holds only its mode. Each goroutine has its own
// pqarrow write context, whose scratch buffer must not be shared.
//
// pqarrow computes definition levels with an unexported path builder that
// handles nested types; here they are computed for flat columns only, the
// same way. Schemas with nested, dictionary, extension or null-typed
// columns therefore use pqarrow.FileWriter, on one goroutine
// (parallelSchema).
//
// Known shortcomings: a batch is finished before Write returns, so the
// goroutines wait for the slowest column of each batch (columns start in
// order of their last encoding time, which keeps that wait short), and the
// dictionary pages and chunk copies of a row group close are made on one
// goroutine.
type parallelParquet struct {
	name     string
	fw       *file.Writer
	sink     *asyncSink
	rgw      file.BufferedRowGroupWriter // nil before the first Write
	maxRows  int64
	schema   *arrow.Schema
	optional []bool // per column: the leaf is OPTIONAL (a nullable field)

	workers []encodeWorker
	cost    []time.Duration // per column, its last encoding time
	order   []int           // column indices, slowest first
	err     error           // the first failure; the file is unusable after it
}

// encodeWorker is the state of one encoding goroutine.
type encodeWorker struct {
	ctx    context.Context // pqarrow write context: its scratch buffer is per goroutine
	levels []int16         // definition levels, reused from column to column
}

// parallelSchema reports whether every column of schema is flat, so that
// parallelParquet can compute its definition levels.
func parallelSchema(schema *arrow.Schema) bool {
	for _, f := range schema.Fields() {
		switch f.Type.ID() {
		case arrow.NULL, arrow.DICTIONARY, arrow.EXTENSION:
			return false
		}
		if _, nested := f.Type.(arrow.NestedType); nested {
			return false
		}
	}
	return true
}

// newParallelParquet starts a file on w (which it never closes) for batches
// of schema, encoding with up to workers goroutines. It builds the file as
// pqarrow.NewFileWriter does with WithStoreSchema.
func newParallelParquet(name string, w io.Writer, schema *arrow.Schema,
	props *parquet.WriterProperties, arrowProps pqarrow.ArrowWriterProperties,
	workers int) (*parallelParquet, error) {
	sc, err := pqarrow.ToParquet(schema, props, arrowProps)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	if sc.NumColumns() != schema.NumFields() {
		return nil, fmt.Errorf("write %s: %d Parquet columns for %d fields", name,
			sc.NumColumns(), schema.NumFields())
	}

	meta := metadata.NewKeyValueMetadata()
	am := schema.Metadata()
	for i, k := range am.Keys() {
		if err := meta.Append(k, am.Values()[i]); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
	}
	// pqarrow stores the schema after renaming list elements, which flat
	// schemas do not have: the copy below is what it serializes.
	stored := arrow.NewSchema(schema.Fields(), &am)
	serialized := flight.SerializeSchema(stored, props.Allocator())
	if err := meta.Append("ARROW:schema", base64.StdEncoding.EncodeToString(serialized)); err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}

	sink := newAsyncSink(w)
	fw, err := file.NewParquetWriterWithError(sink, sc.Root(), file.WithWriterProps(props),
		file.WithWriteMetadata(meta))
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}

	n := schema.NumFields()
	p := &parallelParquet{name: name, fw: fw, sink: sink, maxRows: props.MaxRowGroupLength(),
		schema: schema, optional: make([]bool, n), cost: make([]time.Duration, n),
		order: make([]int, n)}
	for i := range n {
		p.optional[i] = sc.Column(i).SchemaNode().RepetitionType() == parquet.Repetitions.Optional
		p.order[i] = i
	}
	p.workers = make([]encodeWorker, max(1, min(workers, n)))
	for i := range p.workers {
		p.workers[i].ctx = pqarrow.NewArrowWriteContext(context.Background(), &arrowProps)
	}
	return p, nil
}

// write appends rec, splitting it where a row group fills up, as
// pqarrow.FileWriter.WriteBuffered does: a full row group is closed only
// when the next rows arrive, or at close.
// A batch of another schema is refused, and the writer stays usable; any
// other failure leaves the file unusable, and is returned again by later
// calls.
func (p *parallelParquet) write(rec arrow.RecordBatch) error {
	if p.err != nil {
		return p.err
	}
	if !rec.Schema().Equal(p.schema) {
		return fmt.Errorf("write %s: a batch's schema differs from the output's", p.name)
	}
	p.err = p.writeRows(rec)
	return p.err
}

// writeRows does the work of write.
func (p *parallelParquet) writeRows(rec arrow.RecordBatch) error {
	if p.rgw == nil {
		if err := p.newRowGroup(); err != nil {
			return err
		}
	}
	cur, err := p.rgw.NumRows()
	if err != nil {
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	n := rec.NumRows()
	if int64(cur)+n <= p.maxRows {
		return p.encode(rec, 0, n)
	}
	for offset, size := int64(0), p.maxRows-int64(cur); ; {
		if err := p.encode(rec, offset, size); err != nil {
			return err
		}
		if offset+size >= n {
			return nil
		}
		if err := p.newRowGroup(); err != nil {
			return err
		}
		offset += size
		size = min(p.maxRows, n-offset)
	}
}

// newRowGroup closes the current row group, if any, writing it to the sink,
// and starts a buffered one.
func (p *parallelParquet) newRowGroup() error {
	if p.rgw != nil {
		if err := p.closeRowGroup(); err != nil {
			return err
		}
	}
	rgw, err := p.fw.AppendBufferedRowGroupChecked()
	if err != nil {
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	p.rgw = rgw
	return nil
}

// encode writes rows [offset, offset+size) of every column of rec to the
// current row group.
func (p *parallelParquet) encode(rec arrow.RecordBatch, offset, size int64) error {
	if size == 0 {
		return nil
	}
	err := p.eachColumn(func(w *encodeWorker, cw file.ColumnChunkWriter, col int) error {
		start := time.Now()
		if err := w.encodeColumn(cw, rec.Column(col), offset, size, p.optional[col]); err != nil {
			return err
		}
		p.cost[col] = time.Since(start)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(p.order, func(a, b int) int { return cmp.Compare(p.cost[b], p.cost[a]) })
	return nil
}

// eachColumn calls f for every column of the current row group, slowest
// first, on up to len(p.workers) goroutines, the calling one included; a
// column is never handed to two goroutines at once. All of them have
// returned when eachColumn does, also after a failure or a panic, which
// stops the others from starting new columns. It returns the failure of the
// first column in schema order.
func (p *parallelParquet) eachColumn(
	f func(*encodeWorker, file.ColumnChunkWriter, int) error) error {
	n := len(p.order)
	cws := make([]file.ColumnChunkWriter, n)
	for i := range cws {
		cw, err := p.rgw.Column(i)
		if err != nil {
			return fmt.Errorf("write %s: %w", p.name, err)
		}
		cws[i] = cw
	}

	var (
		next   atomic.Int64
		failed atomic.Bool
		errs   = make([]error, n) // per column
	)
	run := func(w *encodeWorker) {
		col := -1
		defer func() {
			if r := recover(); r != nil {
				if col >= 0 {
					errs[col] = libraryFailure("write",
						fmt.Sprintf("%s column %s", p.name, p.schema.Field(col).Name))
				}
				failed.Store(true)
			}
		}()
		for !failed.Load() {
			k := int(next.Add(1)) - 1
			if k >= n {
				return
			}
			col = p.order[k]
			if err := f(w, cws[col], col); err != nil {
				errs[col] = fmt.Errorf("write %s: column %s: %w", p.name,
					p.schema.Field(col).Name, err)
				failed.Store(true)
				return
			}
		}
	}

	var wg sync.WaitGroup
	for i := 1; i < min(len(p.workers), n); i++ {
		w := &p.workers[i]
		wg.Go(func() { run(w) })
	}
	run(&p.workers[0])
	wg.Wait()

	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if failed.Load() {
		return libraryFailure("write", p.name)
	}
	return nil
}

// closeRowGroup closes the current row group. Closing writes the column
// chunks to the sink one after the other; first, the last page of every
// column not being dictionary-encoded is encoded and compressed in
// parallel (flushPages). That is what closing a column would do first, so
// the bytes are the same.
func (p *parallelParquet) closeRowGroup() error {
	if err := p.eachColumn(flushPages); err != nil {
		return err
	}
	if err := p.rgw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	return nil
}

// flushPages writes out the buffered data page of cw unless cw is still
// dictionary-encoding: such a column writes its dictionary page before its
// data pages, when it is closed. It relies on the FlushBufferedDataPages
// method of arrow-go's column chunk writers, which is not in the
// ColumnChunkWriter interface; without it the row group close does the work.
func flushPages(_ *encodeWorker, cw file.ColumnChunkWriter, _ int) error {
	enc := cw.CurrentEncoder()
	if enc == nil {
		return nil
	}
	switch enc.Encoding() {
	case parquet.Encodings.PlainDict, parquet.Encodings.RLEDict:
		return nil
	}
	if f, ok := cw.(interface{ FlushBufferedDataPages() error }); ok {
		return f.FlushBufferedDataPages()
	}
	return nil
}

// encodeColumn writes rows [offset, offset+size) of arr to cw with the
// definition levels and leaf nullability pqarrow's path builder gives a flat
// column: none for a REQUIRED leaf; for an OPTIONAL one, all present when
// the slice is known to hold no null, else one level per row from the
// validity bitmap (all null when the slice is known to be all null).
func (w *encodeWorker) encodeColumn(cw file.ColumnChunkWriter, arr arrow.Array,
	offset, size int64, optional bool) error {
	// The same slice as pqarrow's: its null count, unknown or 0, decides.
	s := array.NewSlice(arr, offset, offset+size)
	defer s.Release()

	var levels []int16
	leafNullable := false
	if optional {
		if cap(w.levels) < int(size) {
			w.levels = make([]int16, size)
		}
		levels = w.levels[:size]
		nulls := s.Data().NullN()
		bitmap := s.NullBitmapBytes()
		switch {
		case nulls == 0 || (nulls == array.UnknownNullCount && bitmap == nil):
			fillLevels(levels, 1)
		case nulls == s.Len():
			fillLevels(levels, 0)
			leafNullable = true
		default:
			bitmapLevels(levels, bitmap, s.Data().Offset())
			leafNullable = true
		}
	}
	return pqarrow.WriteArrowToColumn(w.ctx, cw, s, levels, nil, leafNullable)
}

// fillLevels sets every level to v.
func fillLevels(levels []int16, v int16) {
	for i := range levels {
		levels[i] = v
	}
}

// bitmapLevels sets levels[i] to 1 when bit offset+i of bitmap is set, else 0.
func bitmapLevels(levels []int16, bitmap []byte, offset int) {
	for i := range levels {
		bit := offset + i
		levels[i] = int16(bitmap[bit>>3]>>(bit&7)) & 1
	}
}

// close writes the last row group and the footer, and waits until the sink
// has written them. After a failure it writes nothing more and returns that
// failure.
func (p *parallelParquet) close() error {
	if p.err != nil {
		return p.err
	}
	var rgErr error
	if p.rgw != nil {
		rgErr = p.closeRowGroup()
	}
	err := p.fw.Close()
	if serr := p.sink.flush(); err == nil && serr != nil {
		err = serr
	}
	switch {
	case rgErr != nil:
		p.err = rgErr
	case err != nil:
		p.err = fmt.Errorf("write %s: %w", p.name, err)
	}
	return p.err
}

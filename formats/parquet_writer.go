package formats

import (
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// defaultRowGroupRows bounds a row group when ParquetOptions.RowGroupRows is 0.
const defaultRowGroupRows = 128 * 1024

// parquetWriter writes batches to a Parquet file with pqarrow, storing the
// Arrow schema so that types read back exactly. When every column is flat
// it encodes the columns of a batch on several goroutines
// (parallelParquet), to the same bytes as pqarrow's FileWriter.
type parquetWriter struct {
	name       string
	sink       io.Writer
	schema     *arrow.Schema
	props      []parquet.WriterProperty
	arrowProps pqarrow.ArrowWriterProperties
	closed     bool
	err        error // a recovered panic: the file is unusable after it

	// encoders is how many goroutines encode the columns of a batch; 0
	// writes with pqarrow's FileWriter on the calling goroutine, as do
	// schemas that parallelParquet does not handle. Both write the same
	// bytes.
	encoders int

	// One of these is made at the first Write (or at Close).
	fw *pqarrow.FileWriter
	pf *parallelParquet
}

// noCloseWriter hides the Close method of the sink: pqarrow closes a sink
// that is an io.Closer, but our caller still has to sync and rename it.
type noCloseWriter struct{ io.Writer }

// parquetCodec maps ParquetOptions.Compression to a codec.
func parquetCodec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "snappy":
		return compress.Codecs.Snappy, nil
	case "zstd":
		return compress.Codecs.Zstd, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("unknown Parquet compression %q (want snappy, zstd, gzip or none)", name)
}

// newParquetWriter returns a Parquet writer to w for batches of schema.
//
// Dictionary encoding is off for leaf columns stored as FLOAT, DOUBLE, INT64
// or INT96 (floats, int64 and uint64, timestamps, time64, large decimals):
// their values are mostly distinct, so a dictionary only costs time and space.
// For top-level text and binary columns it is decided from the first batch:
// off when most sampled values are distinct (emails, ids, free text), on
// otherwise (countries, categories). It stays on for the rest (booleans,
// int32 and smaller, dates); arrow-go falls back to plain encoding when a
// dictionary grows too large. The file is started at the first Write, once
// those choices are made.
func newParquetWriter(w io.Writer, schema *arrow.Schema, opt WriteOptions) (pw Writer, err error) {
	name := opt.Name
	defer func() {
		if p := recover(); p != nil {
			pw, err = nil, libraryFailure("write", name)
		}
	}()

	codec, err := parquetCodec(opt.Parquet.Compression)
	if err != nil {
		return nil, err
	}
	rows := opt.Parquet.RowGroupRows
	if rows <= 0 {
		rows = defaultRowGroupRows
	}
	props := []parquet.WriterProperty{
		parquet.WithCompression(codec),
		parquet.WithMaxRowGroupLength(rows),
		parquet.WithDictionaryDefault(true),
	}
	arrowProps := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema())

	sc, err := pqarrow.ToParquet(schema, parquet.NewWriterProperties(props...), arrowProps)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	for i := 0; i < sc.NumColumns(); i++ {
		col := sc.Column(i)
		switch col.PhysicalType() {
		case parquet.Types.Float, parquet.Types.Double, parquet.Types.Int64, parquet.Types.Int96:
			props = append(props, parquet.WithDictionaryPath(col.ColumnPath(), false))
		}
	}

	encoders := runtime.GOMAXPROCS(0)
	if opt.Encrypt != nil {
		// An encrypted file is encoded on one goroutine, as it is read:
		// arrow-go does not document its encryptors as safe to use from
		// several goroutines, even one column each (the parallel path is
		// tested with encryption, but a test cannot prove that).
		encoders = 0

		// Made for this file only: arrow-go wipes the keys after one file.
		fep, err := encryptionProperties(opt.Encrypt)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		props = append(props, parquet.WithEncryptionProperties(fep))
	}
	return &parquetWriter{name: name, sink: noCloseWriter{w}, schema: schema, props: props,
		arrowProps: arrowProps, encoders: encoders}, nil
}

// dictionarySample is how many values of the first batch decide whether a
// text column gets a dictionary.
const dictionarySample = 16 * 1024

// start creates the file writer, turning dictionaries off for the text
// columns of first (which may be nil) whose values are mostly distinct.
func (w *parquetWriter) start(first arrow.RecordBatch) error {
	props := w.props
	if first != nil {
		for i, f := range w.schema.Fields() {
			if mostlyDistinct(first.Column(i)) {
				props = append(props, parquet.WithDictionaryFor(f.Name, false))
			}
		}
	}
	wp := parquet.NewWriterProperties(props...)
	if w.encoders > 0 && parallelSchema(w.schema) {
		pf, err := newParallelParquet(w.name, w.sink, w.schema, wp, w.arrowProps, w.encoders)
		if err != nil {
			return err
		}
		w.pf = pf
		return nil
	}
	fw, err := pqarrow.NewFileWriter(w.schema, w.sink, wp, w.arrowProps)
	if err != nil {
		return fmt.Errorf("write %s: %w", w.name, err)
	}
	w.fw = fw
	return nil
}

// mostlyDistinct reports whether more than half of the first sampled
// non-null values of a text or binary column are distinct.
func mostlyDistinct(arr arrow.Array) bool {
	var value func(i int) string
	switch a := arr.(type) {
	case *array.String:
		value = a.Value
	case *array.LargeString:
		value = a.Value
	case *array.Binary:
		value = a.ValueString
	default:
		return false
	}

	seen := make(map[string]struct{})
	n := 0
	for i := 0; i < arr.Len() && n < dictionarySample; i++ {
		if arr.IsNull(i) {
			continue
		}
		seen[value(i)] = struct{}{}
		n++
	}
	return n >= 64 && len(seen)*2 > n
}

// Write implements Writer. Rows are buffered up to a row group.
func (w *parquetWriter) Write(rec arrow.RecordBatch) (err error) {
	if w.closed {
		return fmt.Errorf("write %s: writer is closed", w.name)
	}
	if w.err != nil {
		return w.err
	}
	defer func() {
		if p := recover(); p != nil {
			err = libraryFailure("write", w.name)
			w.err = err
		}
	}()
	if w.fw == nil && w.pf == nil {
		if err := w.start(rec); err != nil {
			return err
		}
	}
	if w.pf != nil {
		return w.pf.write(rec)
	}
	if err := w.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("write %s: %w", w.name, err)
	}
	return nil
}

// Close implements Writer: it writes the last row group and the footer. It
// does not close the underlying io.Writer.
func (w *parquetWriter) Close() (err error) {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	defer func() {
		if p := recover(); p != nil {
			err = libraryFailure("write", w.name)
		}
	}()
	if w.fw == nil && w.pf == nil {
		if err := w.start(nil); err != nil {
			return err
		}
	}
	if w.pf != nil {
		return w.pf.close()
	}
	if err := w.fw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", w.name, err)
	}
	return nil
}

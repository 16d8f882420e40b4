package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ErrEncrypted is returned for a Parquet file that uses modular encryption
// when no decryption key is given (ReadOptions.Decrypt).
var ErrEncrypted = errors.New("file is encrypted; no key given")

// ErrNotParquet is returned for a file that does not carry the Parquet magic
// bytes.
var ErrNotParquet = errors.New("not a Parquet file")

var (
	parquetMagic          = []byte("PAR1")
	parquetEncryptedMagic = []byte("PARE")
)

// parquetReader reads a Parquet file through pqarrow, keeping every Arrow type
// as pqarrow gives it. Panics inside arrow-go become errors.
type parquetReader struct {
	name   string
	schema *arrow.Schema
	pf     *file.Reader
	rr     pqarrow.RecordReader
	err    error
	cur    arrow.RecordBatch
	rows   int64
	mem    memory.Allocator

	// encrypted is set for a file read with decryption keys.
	encrypted bool

	// restore lists the top-level columns whose stored Arrow type Parquet
	// could not hold and pqarrow does not give back (see restoreTypes).
	restore []int
}

// openParquet opens the Parquet file at path.
func openParquet(path string, opt ReadOptions) (rd Reader, err error) {
	name := opt.Name
	if name == "" {
		name = path
	}
	encrypted, err := checkParquetMagic(path, name, opt.Decrypt != nil)
	if err != nil {
		return nil, err
	}
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	batch := opt.BatchSize
	if batch <= 0 {
		batch = DefaultBatchSize
	}

	r := &parquetReader{name: name, mem: mem}
	defer func() {
		if p := recover(); p != nil {
			r.closeFile()
			rd = nil
			err = libraryFailure("open", name)
		}
	}()

	props := parquet.NewReaderProperties(mem)
	if encrypted {
		if props.FileDecryptProps, err = decryptionProperties(opt.Decrypt); err != nil {
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
	}
	r.pf, err = file.OpenParquetFile(path, false, file.WithReadProps(props))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, decryptError(err))
	}
	if !encrypted && r.pf.MetaData().IsSetEncryptionAlgorithm() {
		// A plaintext footer with encrypted columns: open again with the key.
		r.closeFile()
		if opt.Decrypt == nil {
			return nil, fmt.Errorf("open %s: %w", name, ErrEncrypted)
		}
		props = parquet.NewReaderProperties(mem)
		if props.FileDecryptProps, err = decryptionProperties(opt.Decrypt); err != nil {
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
		r.pf, err = file.OpenParquetFile(path, false, file.WithReadProps(props))
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", name, decryptError(err))
		}
	}
	r.encrypted = r.pf.MetaData().IsSetEncryptionAlgorithm() || encrypted
	// Columns are decoded in parallel, one goroutine per column, so that a
	// Parquet input keeps both cores busy. Encrypted files are decoded one
	// column after another: arrow-go's decryptors are not shown to be safe
	// for concurrent use.
	fr, err := pqarrow.NewFileReader(r.pf, pqarrow.ArrowReadProperties{
		BatchSize: int64(batch), Parallel: !r.encrypted}, mem)
	if err != nil {
		r.closeFile()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	r.rr, err = fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		r.closeFile()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	r.schema = r.rr.Schema()
	r.restoreTypes(fr.Manifest.OriginSchema)
	for _, f := range r.schema.Fields() {
		if vt, ok := f.Type.(*extensions.VariantType); ok && hasUnsigned(vt.StorageType()) {
			r.Close()
			return nil, fmt.Errorf("open %s: column %q: shredded variant with an unsigned "+
				"integer type, which the variant spec does not allow", name, f.Name)
		}
	}
	return r, nil
}

// checkParquetMagic tells a Parquet file from other files and encrypted
// Parquet files (encrypted footer) before arrow-go sees it. It reports
// whether the footer is encrypted; that is an error unless haveKey.
func checkParquetMagic(path, name string, haveKey bool) (encrypted bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("open input: %w", err)
	}
	defer f.Close()

	head := make([]byte, 4)
	tail := make([]byte, 4)
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("open input: %w", err)
	}
	if st.Size() < 12 {
		return false, fmt.Errorf("open %s: %w", name, ErrNotParquet)
	}
	if _, err := io.ReadFull(f, head); err != nil {
		return false, fmt.Errorf("read %s: %w", name, err)
	}
	if _, err := f.ReadAt(tail, st.Size()-4); err != nil {
		return false, fmt.Errorf("read %s: %w", name, err)
	}
	switch {
	case bytes.Equal(head, parquetEncryptedMagic) && bytes.Equal(tail, parquetEncryptedMagic):
		if !haveKey {
			return true, fmt.Errorf("open %s: %w", name, ErrEncrypted)
		}
		return true, nil
	case bytes.Equal(tail, parquetEncryptedMagic) || bytes.Equal(head, parquetEncryptedMagic):
		if !haveKey {
			return true, fmt.Errorf("open %s: %w", name, ErrEncrypted)
		}
		return false, fmt.Errorf("open %s: %w", name, ErrNotParquet)
	case !bytes.Equal(head, parquetMagic) || !bytes.Equal(tail, parquetMagic):
		return false, fmt.Errorf("open %s: %w", name, ErrNotParquet)
	}
	return false, nil
}

func (r *parquetReader) closeFile() {
	if r.pf != nil {
		r.pf.Close()
		r.pf = nil
	}
}

// Schema implements Reader.
func (r *parquetReader) Schema() *arrow.Schema { return r.schema }

// Next implements Reader.
func (r *parquetReader) Next() (ok bool) {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil || r.rr == nil {
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			r.err = libraryFailure("read", r.name)
			ok = false
		}
	}()
	if !r.rr.Next() {
		if err := r.rr.Err(); err != nil {
			if r.encrypted {
				err = decryptError(err)
			}
			r.err = fmt.Errorf("read %s: %w", r.name, err)
		}
		return false
	}
	r.cur = r.rr.RecordBatch()
	r.cur.Retain()
	if len(r.restore) > 0 {
		r.cur = r.restoreBatch(r.cur)
	}
	if err := r.checkVariants(); err != nil {
		r.err = err
		r.cur.Release()
		r.cur = nil
		return false
	}
	r.rows += r.cur.NumRows()
	return true
}

// checkVariants decodes every value of the top-level variant columns of the
// current batch: arrow-go reads shredded variants without checking them, and
// an invalid one would otherwise pass through unnoticed.
func (r *parquetReader) checkVariants() error {
	for j, col := range r.cur.Columns() {
		va, ok := col.(*extensions.VariantArray)
		if !ok {
			continue
		}
		for i := 0; i < va.Len(); i++ {
			if va.Storage().IsNull(i) {
				continue
			}
			if _, err := va.Value(i); err != nil {
				// The cause is left out: it may quote the value.
				return fmt.Errorf("read %s: row %d: column %q: invalid variant value",
					r.name, r.rows+int64(i)+1, r.schema.Field(j).Name)
			}
		}
	}
	return nil
}

// hasUnsigned reports whether t holds an unsigned integer type anywhere.
func hasUnsigned(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	}
	if nt, ok := t.(arrow.NestedType); ok {
		for _, f := range nt.Fields() {
			if hasUnsigned(f.Type) {
				return true
			}
		}
	}
	return false
}

// RecordBatch implements Reader.
func (r *parquetReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Err implements Reader.
func (r *parquetReader) Err() error { return r.err }

// Close implements Reader: it releases the batches and closes the file.
func (r *parquetReader) Close() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = libraryFailure("close", r.name)
		}
	}()
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.rr != nil {
		r.rr.Release()
		r.rr = nil
	}
	if r.pf != nil {
		err = r.pf.Close()
		r.pf = nil
	}
	return err
}

// restoreTypes gives back the stored Arrow type of top-level columns that
// Parquet coerced and pqarrow does not restore: timestamp[s] (stored as
// milliseconds, read back as timestamp[ms] in UTC), time32[s] (stored as
// milliseconds) and date64 (stored as date32).
func (r *parquetReader) restoreTypes(origin *arrow.Schema) {
	if origin == nil || origin.NumFields() != r.schema.NumFields() {
		return
	}
	fields := slices.Clone(r.schema.Fields())
	for i, f := range fields {
		want := origin.Field(i).Type
		restore := false
		switch want := want.(type) {
		case *arrow.TimestampType:
			got, ok := f.Type.(*arrow.TimestampType)
			restore = ok && want.Unit == arrow.Second && got.Unit == arrow.Millisecond
		case *arrow.Time32Type:
			got, ok := f.Type.(*arrow.Time32Type)
			restore = ok && want.Unit == arrow.Second && got.Unit == arrow.Millisecond
		case *arrow.Date64Type:
			restore = f.Type.ID() == arrow.DATE32
		}
		if restore {
			fields[i].Type = want
			r.restore = append(r.restore, i)
		}
	}
	if len(r.restore) > 0 {
		md := r.schema.Metadata()
		r.schema = arrow.NewSchema(fields, &md)
	}
}

// restoreBatch converts the columns listed in r.restore to their stored
// types. It takes over rec.
func (r *parquetReader) restoreBatch(rec arrow.RecordBatch) arrow.RecordBatch {
	defer rec.Release()
	cols := slices.Clone(rec.Columns())
	var made []arrow.Array
	for _, j := range r.restore {
		col := cols[j]
		b := array.NewBuilder(r.mem, r.schema.Field(j).Type)
		b.Reserve(col.Len())
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) {
				b.AppendNull()
				continue
			}
			switch c := col.(type) {
			case *array.Timestamp:
				b.(*array.TimestampBuilder).Append(c.Value(i) / 1000)
			case *array.Time32:
				b.(*array.Time32Builder).Append(c.Value(i) / 1000)
			case *array.Date32:
				b.(*array.Date64Builder).Append(arrow.Date64(c.Value(i)) * 86400000)
			}
		}
		cols[j] = b.NewArray()
		b.Release()
		made = append(made, cols[j])
	}
	out := array.NewRecordBatch(r.schema, cols, rec.NumRows())
	for _, a := range made {
		a.Release()
	}
	return out
}

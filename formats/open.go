package formats

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
)

// Open opens the input at path ("-" for standard input) in opt.Format.
// Parquet needs a seekable file, so it cannot be read from standard input.
func Open(path string, opt ReadOptions) (Reader, error) {
	if opt.Name == "" {
		opt.Name = path
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}

	if opt.Format == Parquet {
		if path == "-" {
			return nil, errors.New("parquet cannot be read from standard input; give a file")
		}
		return openParquet(path, opt)
	}

	var f io.ReadCloser = os.Stdin
	if path != "-" {
		var err error
		f, err = os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
	}

	r, err := NewReader(f, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &closingReader{Reader: r, file: f}, nil
}

// NewReader reads a text format (CSV, NDJSON or JSON) from r. The caller
// closes r after closing the returned reader.
func NewReader(r io.Reader, opt ReadOptions) (Reader, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	switch opt.Format {
	case CSV:
		return newCSVReader(r, opt)
	case NDJSON:
		return newNDJSONReader(r, opt)
	case JSON:
		return newJSONArrayReader(r, opt)
	case Lines:
		return newLinesReader(r, opt)
	case Parquet:
		return nil, errors.New("parquet needs a file: use Open")
	}
	return nil, fmt.Errorf("unknown input format %q", opt.Format)
}

// NewWriter returns a writer of opt.Format to w for batches of schema.
func NewWriter(w io.Writer, schema *arrow.Schema, opt WriteOptions) (Writer, error) {
	if opt.Encrypt != nil && opt.Format != Parquet {
		return nil, fmt.Errorf("encryption needs Parquet output, not %s", opt.Format)
	}
	if schema.NumFields() == 0 && (opt.Format == CSV || opt.Format == Parquet) {
		// Such a file cannot hold rows: they would be lost or unreadable.
		return nil, fmt.Errorf("write %s: the output has no columns (every record "+
			"is empty, or every column is dropped), and %s cannot hold rows without "+
			"columns; write NDJSON or JSON", opt.Name, opt.Format)
	}
	switch opt.Format {
	case CSV:
		return newCSVWriter(w, schema, opt)
	case NDJSON:
		return newNDJSONWriter(w, schema, opt, false)
	case JSON:
		return newNDJSONWriter(w, schema, opt, true)
	case Parquet:
		return newParquetWriter(w, schema, opt)
	case Lines:
		return newLinesWriter(w, schema, opt)
	}
	return nil, fmt.Errorf("unknown output format %q", opt.Format)
}

// closingReader closes the file it was opened on.
type closingReader struct {
	Reader
	file io.Closer
}

func (r *closingReader) Close() error {
	err := r.Reader.Close()
	if r.file != os.Stdin {
		if cerr := r.file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

package formats

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Format names a file format.
type Format string

// The formats anon reads and writes.
const (
	CSV     Format = "csv"
	NDJSON  Format = "ndjson"
	JSON    Format = "json"
	Parquet Format = "parquet"
	// Lines reads any text file as one utf8 column, "line", one row per
	// line, and writes one value per line (see the lines reader).
	Lines Format = "lines"
)

// Formats lists every format, for help and validation.
var Formats = []Format{CSV, NDJSON, JSON, Parquet, Lines}

// DefaultBatchSize is the number of rows per record batch when none is set.
const DefaultBatchSize = 64 * 1024

// Detect returns the format named by explicit, or else the one given by the
// path's extension. "-" (standard input or output) needs an explicit format
// unless fallback is set.
func Detect(path, explicit string, fallback Format) (Format, error) {
	if explicit != "" {
		f := Format(strings.ToLower(explicit))
		switch f {
		case CSV, NDJSON, JSON, Parquet, Lines:
			return f, nil
		case "jsonl":
			return NDJSON, nil
		}
		return "", fmt.Errorf("unknown format %q (want csv, ndjson, json, parquet or lines)", explicit)
	}

	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt":
		return CSV, nil
	case ".ndjson", ".jsonl":
		return NDJSON, nil
	case ".json":
		return JSON, nil
	case ".parquet", ".pq":
		return Parquet, nil
	case ".log":
		return Lines, nil
	}
	if fallback != "" {
		return fallback, nil
	}
	return "", fmt.Errorf("cannot tell the format of %q from its extension; "+
		"set it with --input-format or --output-format", path)
}

// CSVOptions set the CSV dialect, for reading and writing.
type CSVOptions struct {
	// Delimiter separates fields; 0 means ','.
	Delimiter rune

	// Quote encloses fields; 0 means '"'. A quote inside a quoted field is
	// doubled.
	Quote rune

	// NoHeader means the first line is data; columns are then named
	// col1, col2, ... on read, and no header is written on write.
	NoHeader bool
}

// ReadOptions configure a [Reader].
type ReadOptions struct {
	// Format is the input format.
	Format Format

	// Name is the file name used in error messages ("-" for stdin).
	Name string

	// BatchSize is the number of rows per batch; 0 means DefaultBatchSize.
	BatchSize int

	// CSV is the CSV dialect.
	CSV CSVOptions

	// ColumnTypes declares Arrow types for columns of text formats (CSV).
	// Other CSV columns are read as utf8, byte for byte.
	ColumnTypes map[string]arrow.DataType

	// Mem allocates the batches; nil means the Go allocator.
	Mem memory.Allocator

	// Decrypt holds the keys of an encrypted Parquet input; nil means the
	// input must not be encrypted ([ErrEncrypted] otherwise).
	Decrypt *ParquetKeys

	// HeaderCheck, when set, is called with each name of a CSV header and
	// with each key of a JSON object when the key is first met. A non-empty
	// result says what the name looks like ("an email address"): the name
	// is data (a data row read as the header, an object keyed by email),
	// and the reader refuses it without showing it. formats has no
	// detectors of its own (it imports Arrow only); the caller supplies one.
	HeaderCheck func(name string) string
}

// Reader yields the record batches of one input.
type Reader interface {
	// Schema returns the schema of every batch.
	Schema() *arrow.Schema

	// Next advances to the next batch and reports whether there is one.
	Next() bool

	// RecordBatch returns the current batch. It is released by the next call
	// to Next or Close; Retain it to keep it longer.
	RecordBatch() arrow.RecordBatch

	// Err returns the error that stopped Next, if any. It is a *ParseError
	// for a problem in the data.
	Err() error

	// Close releases the reader and the file it opened.
	Close() error
}

// WriteOptions configure a [Writer].
type WriteOptions struct {
	// Format is the output format.
	Format Format

	// Name is the destination's name for error messages.
	Name string

	// CSV is the CSV dialect.
	CSV CSVOptions

	// Parquet tunes the Parquet writer.
	Parquet ParquetOptions

	// Encrypt, if set, writes Parquet with modular encryption: AES-GCM, the
	// footer and every column encrypted with Encrypt.FooterKey (32 bytes).
	// Other formats refuse it.
	Encrypt *ParquetKeys
}

// ParquetOptions tune Parquet output.
type ParquetOptions struct {
	// Compression is snappy (default), zstd, gzip or none.
	Compression string

	// RowGroupRows bounds the rows per row group; 0 means 128 Ki rows.
	RowGroupRows int64
}

// Writer writes record batches to one output.
type Writer interface {
	// Write appends a batch. It does not keep the batch after returning.
	Write(arrow.RecordBatch) error

	// Close flushes buffered rows and writes any footer. It does not close
	// the underlying io.Writer unless the writer opened it.
	Close() error
}

// ParseError reports a problem in the input data. It names the place and
// never contains the data itself.
type ParseError struct {
	// File is the input's name.
	File string

	// Line is the 1-based line of a text format, or 0.
	Line int64

	// Row is the 1-based data row (header excluded), or 0.
	Row int64

	// Column is the column's name, or "".
	Column string

	// Err is the cause.
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error {
	return e.Err
}

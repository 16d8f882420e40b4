package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/csv"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/anon-data/anon/formats"
)

// config holds the command-line settings.
type config struct {
	in, out        string
	reader, writer string
	workers, batch int
	parallel       bool
	sync           bool
	noDict         []string
}

// source is what every reader offers.
type source interface {
	Schema() *arrow.Schema
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
}

// sink is what every writer offers.
type sink interface {
	Write(arrow.RecordBatch) error
	Close() error
}

func format(path string) (formats.Format, error) {
	return formats.Detect(path, "", "")
}

// run copies c.in to c.out and returns the number of rows.
func run(c config) (int64, error) {
	if c.in == "" || c.out == "" {
		return 0, errors.New("-in and -out are required")
	}
	src, closeSrc, err := openSource(c)
	if err != nil {
		return 0, err
	}
	defer closeSrc()

	f, err := os.Create(c.out)
	if err != nil {
		return 0, fmt.Errorf("create output: %w", err)
	}
	defer f.Close()
	dst, err := openSink(c, f, src.Schema())
	if err != nil {
		return 0, err
	}
	rows, err := pipe(src, dst, c.workers)
	if err != nil {
		return rows, err
	}
	if err := dst.Close(); err != nil {
		return rows, fmt.Errorf("close %s: %w", c.out, err)
	}
	if c.sync {
		if err := f.Sync(); err != nil {
			return rows, fmt.Errorf("sync %s: %w", c.out, err)
		}
	}
	if err := f.Close(); err != nil {
		return rows, fmt.Errorf("close %s: %w", c.out, err)
	}
	return rows, nil
}

// openSource opens the input with the reader c names.
func openSource(c config) (source, func(), error) {
	inFormat, err := format(c.in)
	if err != nil {
		return nil, nil, err
	}
	mem := memory.DefaultAllocator
	switch {
	case inFormat == formats.Parquet:
		pf, err := file.OpenParquetFile(c.in, false,
			file.WithReadProps(parquet.NewReaderProperties(mem)))
		if err != nil {
			return nil, nil, fmt.Errorf("open %s: %w", c.in, err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{
			BatchSize: int64(c.batch), Parallel: c.parallel}, mem)
		if err != nil {
			pf.Close()
			return nil, nil, fmt.Errorf("open %s: %w", c.in, err)
		}
		rr, err := fr.GetRecordReader(context.Background(), nil, nil)
		if err != nil {
			pf.Close()
			return nil, nil, fmt.Errorf("read %s: %w", c.in, err)
		}
		return rr, func() { rr.Release(); pf.Close() }, nil
	case c.reader == "anon":
		r, err := formats.Open(c.in, formats.ReadOptions{Format: inFormat, BatchSize: c.batch})
		if err != nil {
			return nil, nil, fmt.Errorf("open %s: %w", c.in, err)
		}
		return r, func() { r.Close() }, nil
	case c.reader == "arrow":
		return openArrowText(c, inFormat)
	}
	return nil, nil, fmt.Errorf("unknown -reader %q (want anon or arrow)", c.reader)
}

// openArrowText opens CSV or NDJSON with arrow's own readers and an explicit
// schema: every column utf8, except id and salary for NDJSON (JSON numbers).
func openArrowText(c config, inFormat formats.Format) (source, func(), error) {
	f, err := os.Open(c.in)
	if err != nil {
		return nil, nil, fmt.Errorf("open input: %w", err)
	}
	names, err := header(c.in, inFormat)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
		if inFormat == formats.NDJSON && (n == "id" || n == "salary") {
			fields[i].Type = arrow.PrimitiveTypes.Int64
			if n == "salary" {
				fields[i].Type = arrow.PrimitiveTypes.Float64
			}
		}
	}
	schema := arrow.NewSchema(fields, nil)
	switch inFormat {
	case formats.CSV:
		r := csv.NewReader(f, schema, csv.WithHeader(true), csv.WithChunk(c.batch),
			csv.WithNullReader(true, ""), csv.WithLazyQuotes(false))
		return r, func() { r.Release(); f.Close() }, nil
	case formats.NDJSON:
		r := array.NewJSONReader(f, schema, array.WithChunk(c.batch))
		return r, func() { r.Release(); f.Close() }, nil
	}
	f.Close()
	return nil, nil, fmt.Errorf("-reader arrow reads CSV or NDJSON, not %s", inFormat)
}

// header returns the column names of a CSV or NDJSON file, from its first
// line (the generator writes NDJSON keys in column order).
func header(path string, inFormat formats.Format) ([]string, error) {
	r, err := formats.Open(path, formats.ReadOptions{Format: inFormat, BatchSize: 16})
	if err != nil {
		return nil, fmt.Errorf("read header of %s: %w", path, err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.Schema().Fields() {
		names = append(names, f.Name)
	}
	return names, nil
}

// openSink returns the writer for c.out.
func openSink(c config, f *os.File, schema *arrow.Schema) (sink, error) {
	outFormat, err := format(c.out)
	if err != nil {
		return nil, err
	}
	switch outFormat {
	case formats.Parquet:
		return newParquetSink(f, schema, c.noDict)
	case formats.CSV:
		if c.writer == "arrow" {
			w := csv.NewWriter(f, schema, csv.WithHeader(true), csv.WithNullWriter(""))
			return &arrowCSV{w}, nil
		}
		w, err := formats.NewWriter(f, schema, formats.WriteOptions{Format: formats.CSV,
			Name: filepath.Base(c.out)})
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", c.out, err)
		}
		return w, nil
	}
	return nil, fmt.Errorf("baseline writes CSV or Parquet, not %s", outFormat)
}

type arrowCSV struct{ w *csv.Writer }

func (a *arrowCSV) Write(r arrow.RecordBatch) error { return a.w.Write(r) }

func (a *arrowCSV) Close() error {
	a.w.Flush()
	return a.w.Error()
}

// parquetSink writes with pqarrow, tuned as in the notes.
type parquetSink struct{ fw *pqarrow.FileWriter }

func newParquetSink(f *os.File, schema *arrow.Schema, noDict []string) (*parquetSink, error) {
	props := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(128 * 1024),
		parquet.WithDictionaryDefault(true),
	}
	for _, fld := range schema.Fields() {
		if slices.Contains(noDict, strings.TrimSpace(fld.Name)) {
			props = append(props, parquet.WithDictionaryFor(fld.Name, false))
		}
	}
	// Hide Close: pqarrow closes a sink that is an io.Closer, and run closes f.
	sink := struct{ io.Writer }{f}
	fw, err := pqarrow.NewFileWriter(schema, sink, parquet.NewWriterProperties(props...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, fmt.Errorf("open parquet writer: %w", err)
	}
	return &parquetSink{fw}, nil
}

func (p *parquetSink) Write(r arrow.RecordBatch) error { return p.fw.WriteBuffered(r) }
func (p *parquetSink) Close() error                    { return p.fw.Close() }

package formats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// flatSchema has one column of each flat type anon writes, with and without
// nulls.
var flatSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},      // dictionary
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},     // distinct: plain
	{Name: "note", Type: arrow.BinaryTypes.LargeString, Nullable: true}, // 30% null
	{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "n32", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, // never null
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "u16", Type: arrow.PrimitiveTypes.Uint16},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64},
	{Name: "flag", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "flag_req", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "birth", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "d64", Type: arrow.FixedWidthTypes.Date64, Nullable: true},
	{Name: "signup", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
		Nullable: true},
	{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond,
		TimeZone: "America/New_York"}, Nullable: true},
	{Name: "ts_s", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true},
	{Name: "t32", Type: arrow.FixedWidthTypes.Time32s, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 20, Scale: 4}, Nullable: true},
	{Name: "none", Type: arrow.BinaryTypes.String, Nullable: true}, // always null
}, nil)

// flatBatch returns rows of flatSchema starting at row base, drawn from r.
func flatBatch(r *rand.Rand, base, rows int) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, flatSchema)
	defer b.Release()
	cities := []string{"Lisboa", "Porto", "Braga", "Faro", "Évora"}
	null := func(p float64) bool { return r.Float64() < p }
	for i := range rows {
		id := base + i
		b.Field(0).(*array.Int64Builder).Append(int64(id))
		if s := b.Field(1).(*array.StringBuilder); null(0.05) {
			s.AppendNull()
		} else {
			s.Append(cities[r.IntN(len(cities))])
		}
		b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("user%d.%x@example.org", id,
			r.Uint32()))
		if s := b.Field(3).(*array.LargeStringBuilder); null(0.3) {
			s.AppendNull()
		} else {
			s.Append(strings.Repeat("text, \"quoted\" ", r.IntN(6)) + fmt.Sprint(r.Int()))
		}
		if s := b.Field(4).(*array.BinaryBuilder); null(0.1) {
			s.AppendNull()
		} else {
			s.Append([]byte{byte(id), byte(r.Uint32()), 0, 0xff})
		}
		b.Field(5).(*array.Int32Builder).Append(r.Int32N(1000))
		if s := b.Field(6).(*array.Int8Builder); null(0.2) {
			s.AppendNull()
		} else {
			s.Append(int8(r.IntN(256) - 128))
		}
		b.Field(7).(*array.Uint16Builder).Append(uint16(r.Uint32()))
		if s := b.Field(8).(*array.Float32Builder); null(0.1) {
			s.AppendNull()
		} else {
			s.Append(float32(r.NormFloat64()))
		}
		b.Field(9).(*array.Float64Builder).Append(r.ExpFloat64() * 1e4)
		if s := b.Field(10).(*array.BooleanBuilder); null(0.5) {
			s.AppendNull()
		} else {
			s.Append(r.IntN(2) == 0)
		}
		b.Field(11).(*array.BooleanBuilder).Append(r.IntN(3) == 0)
		if s := b.Field(12).(*array.Date32Builder); null(0.02) {
			s.AppendNull()
		} else {
			s.Append(arrow.Date32(r.Int32N(40000) - 20000))
		}
		if s := b.Field(13).(*array.Date64Builder); null(0.02) {
			s.AppendNull()
		} else {
			s.Append(arrow.Date64(int64(r.Int32N(40000)) * 86400000))
		}
		for f := 14; f <= 16; f++ {
			if s := b.Field(f).(*array.TimestampBuilder); null(0.05) {
				s.AppendNull()
			} else {
				s.Append(arrow.Timestamp(r.Int64N(4e9)))
			}
		}
		if s := b.Field(17).(*array.Time32Builder); null(0.05) {
			s.AppendNull()
		} else {
			s.Append(arrow.Time32(r.Int32N(86400)))
		}
		if s := b.Field(18).(*array.Decimal128Builder); null(0.05) {
			s.AppendNull()
		} else {
			s.Append(decimal128.FromI64(r.Int64N(1e12) - 5e11))
		}
		b.Field(19).(*array.StringBuilder).AppendNull()
	}
	return b.NewRecordBatch()
}

// flatBatches returns batches of flatSchema of the given sizes.
func flatBatches(t *testing.T, sizes []int) []arrow.RecordBatch {
	t.Helper()
	r := rand.New(rand.NewPCG(42, uint64(len(sizes))))
	var out []arrow.RecordBatch
	base := 0
	for _, n := range sizes {
		out = append(out, flatBatch(r, base, n))
		base += n
	}
	t.Cleanup(func() {
		for _, b := range out {
			b.Release()
		}
	})
	return out
}

// writeWithEncoders writes batches with encoders goroutines (0: pqarrow's
// FileWriter) and extra writer properties, and returns the file's bytes.
func writeWithEncoders(t *testing.T, schema *arrow.Schema, batches []arrow.RecordBatch,
	opt WriteOptions, encoders int, extra ...parquet.WriterProperty) []byte {
	t.Helper()
	var buf bytes.Buffer
	opt.Format, opt.Name = Parquet, "test.parquet"
	wr, err := NewWriter(&buf, schema, opt)
	if err != nil {
		t.Fatal(err)
	}
	w := wr.(*parquetWriter)
	w.encoders = encoders
	w.props = append(w.props, extra...)
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if parallel := w.pf != nil; parallel != (encoders > 0 && parallelSchema(schema)) {
		t.Fatalf("%d encoders: parallel path used: %v", encoders, parallel)
	}
	return buf.Bytes()
}

// TestParquetParallelSameBytes: encoding the columns on several goroutines
// writes the same file, byte for byte, as pqarrow's sequential FileWriter.
func TestParquetParallelSameBytes(t *testing.T) {
	// Row groups of 1000 rows: batches that fill one exactly, straddle a
	// boundary, arrive when a group is full, are empty, or span several.
	sizes := []int{700, 300, 500, 0, 1700, 2600, 37, 999, 1}
	batches := flatBatches(t, sizes)
	tests := []struct {
		name  string
		opt   ParquetOptions
		extra []parquet.WriterProperty
		// fallback: some dictionaries overflow, so some chunks have both
		// dictionary and plain data pages (see sameParquet).
		fallback bool
	}{
		{name: "snappy", opt: ParquetOptions{RowGroupRows: 1000}},
		{name: "zstd small pages", opt: ParquetOptions{Compression: "zstd", RowGroupRows: 1000},
			extra: []parquet.WriterProperty{parquet.WithDataPageSize(1024)}},
		{name: "dictionary fallback", opt: ParquetOptions{RowGroupRows: 1000},
			extra: []parquet.WriterProperty{parquet.WithDataPageSize(1024),
				parquet.WithDictionaryPageSizeLimit(2048)}, fallback: true},
		{name: "gzip", opt: ParquetOptions{Compression: "gzip", RowGroupRows: 1000}},
		{name: "none one group", opt: ParquetOptions{Compression: "none"}},
		{name: "v2 pages", opt: ParquetOptions{RowGroupRows: 1000},
			extra: []parquet.WriterProperty{parquet.WithDataPageVersion(parquet.DataPageV2),
				parquet.WithDataPageSize(4096)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := WriteOptions{Parquet: tt.opt}
			want := writeWithEncoders(t, flatSchema, batches, opt, 0, tt.extra...)
			if got := hasFallback(t, want); got != tt.fallback {
				t.Fatalf("dictionary fallback %v, want %v", got, tt.fallback)
			}
			for _, n := range []int{1, 2, 3, 8, 64} {
				got := writeWithEncoders(t, flatSchema, batches, opt, n, tt.extra...)
				if tt.fallback {
					sameParquet(t, got, want)
				} else if !bytes.Equal(got, want) {
					t.Fatalf("%d encoders: %d bytes differ from the sequential %d bytes at %d",
						n, len(got), len(want), firstDiff(got, want))
				}
			}
			checkReadsBack(t, want, batches)
		})
	}
}

// TestParquetParallelEdgeBatches: no batch at all, empty batches (which
// start a row group), and batches that end exactly on a row group boundary
// give the same bytes through both paths.
func TestParquetParallelEdgeBatches(t *testing.T) {
	for _, sizes := range [][]int{{}, {0}, {0, 1200}, {1000}, {2000}, {1000, 0, 1000}} {
		t.Run(fmt.Sprint(sizes), func(t *testing.T) {
			batches := flatBatches(t, sizes)
			opt := WriteOptions{Parquet: ParquetOptions{RowGroupRows: 1000}}
			want := writeWithEncoders(t, flatSchema, batches, opt, 0)
			got := writeWithEncoders(t, flatSchema, batches, opt, 2)
			if !bytes.Equal(got, want) {
				t.Fatalf("bytes differ at %d", firstDiff(got, want))
			}
		})
	}
}

// sameParquet fails unless got and want have the same length, the same
// bytes in every column chunk's pages and the same metadata. arrow-go
// v18.9.0 writes a chunk's page encoding statistics in Go map order
// (metadata.ColumnChunkMetaDataBuilder.Finish), so a chunk with both
// dictionary and plain data pages makes even two sequential writes of the
// same rows differ, in that list only; it is compared as a set.
func sameParquet(t *testing.T, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%d bytes, sequential %d", len(got), len(want))
	}
	a, b := openParquetBytes(t, got, nil), openParquetBytes(t, want, nil)
	sameMetadata(t, a, b)
	for i := range a.NumRowGroups() {
		rg := a.MetaData().RowGroup(i)
		for j := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(j)
			if err != nil {
				t.Fatal(err)
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() {
				start = cc.DictionaryPageOffset()
			}
			end := start + cc.TotalCompressedSize()
			if !bytes.Equal(got[start:end], want[start:end]) {
				t.Fatalf("row group %d column %d: pages differ at %d", i, j,
					start+int64(firstDiff(got[start:end], want[start:end])))
			}
		}
	}
}

// hasFallback reports whether a chunk of the file has both dictionary and
// plain data pages.
func hasFallback(t *testing.T, data []byte) bool {
	t.Helper()
	pf := openParquetBytes(t, data, nil)
	for i := range pf.NumRowGroups() {
		rg := pf.MetaData().RowGroup(i)
		for j := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(j)
			if err != nil {
				t.Fatal(err)
			}
			encodings := map[parquet.Encoding]bool{}
			for _, s := range cc.EncodingStats() {
				if strings.HasPrefix(s.PageType.String(), "DATA_PAGE") {
					encodings[s.Encoding] = true
				}
			}
			if len(encodings) > 1 {
				return true
			}
		}
	}
	return false
}

// openParquetBytes opens a Parquet file held in memory, decrypting it with
// key if that is not nil.
func openParquetBytes(t *testing.T, data, key []byte) *file.Reader {
	t.Helper()
	rp := parquet.NewReaderProperties(memory.DefaultAllocator)
	if key != nil {
		rp.FileDecryptProps = parquet.NewFileDecryptionProperties(
			parquet.WithFooterKey(string(key)))
	}
	pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(rp))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pf.Close() })
	return pf
}

// sameMetadata fails unless two files have the same schema, key-value
// metadata, row groups and column chunk metadata, page encoding statistics
// compared as sets.
func sameMetadata(t *testing.T, a, b *file.Reader) {
	t.Helper()
	ma, mb := a.MetaData(), b.MetaData()
	if !ma.Schema.Equals(mb.Schema) || ma.NumRows != mb.NumRows ||
		!reflect.DeepEqual(ma.KeyValueMetadata(), mb.KeyValueMetadata()) {
		t.Fatal("file metadata differs")
	}
	if a.NumRowGroups() != b.NumRowGroups() {
		t.Fatalf("%d row groups, sequential %d", a.NumRowGroups(), b.NumRowGroups())
	}
	for i := range a.NumRowGroups() {
		ra, rb := ma.RowGroup(i), mb.RowGroup(i)
		if ra.NumRows() != rb.NumRows() || ra.TotalByteSize() != rb.TotalByteSize() ||
			ra.NumColumns() != rb.NumColumns() {
			t.Fatalf("row group %d differs", i)
		}
		for j := range ra.NumColumns() {
			ca, err := ra.ColumnChunk(j)
			if err != nil {
				t.Fatal(err)
			}
			cb, err := rb.ColumnChunk(j)
			if err != nil {
				t.Fatal(err)
			}
			if d := chunkDiff(ca, cb); d != "" {
				t.Fatalf("row group %d column %d: %s", i, j, d)
			}
		}
	}
}

// chunkDiff names the first field in which two column chunks differ, or
// returns "".
func chunkDiff(a, b *metadata.ColumnChunkMetaData) string {
	sortedStats := func(c *metadata.ColumnChunkMetaData) []metadata.PageEncodingStats {
		return slices.SortedFunc(slices.Values(c.EncodingStats()),
			func(x, y metadata.PageEncodingStats) int {
				return cmp.Or(cmp.Compare(x.PageType, y.PageType),
					cmp.Compare(x.Encoding, y.Encoding))
			})
	}
	statsOf := func(c *metadata.ColumnChunkMetaData) any {
		s, err := c.Statistics()
		if err != nil || s == nil {
			return err
		}
		enc, err := s.Encode()
		if err != nil {
			return err
		}
		return enc
	}
	fields := []struct {
		name string
		a, b any
	}{
		{"type", a.Type(), b.Type()},
		{"values", a.NumValues(), b.NumValues()},
		{"path", a.PathInSchema(), b.PathInSchema()},
		{"codec", a.Compression(), b.Compression()},
		{"encodings", a.Encodings(), b.Encodings()},
		{"encoding stats", sortedStats(a), sortedStats(b)},
		{"dictionary", a.HasDictionaryPage(), b.HasDictionaryPage()},
		{"dictionary offset", a.DictionaryPageOffset(), b.DictionaryPageOffset()},
		{"data offset", a.DataPageOffset(), b.DataPageOffset()},
		{"file offset", a.FileOffset(), b.FileOffset()},
		{"compressed size", a.TotalCompressedSize(), b.TotalCompressedSize()},
		{"uncompressed size", a.TotalUncompressedSize(), b.TotalUncompressedSize()},
		{"statistics", statsOf(a), statsOf(b)},
	}
	for _, f := range fields {
		if !reflect.DeepEqual(f.a, f.b) {
			return fmt.Sprintf("%s: %v, sequential %v", f.name, f.a, f.b)
		}
	}
	return ""
}

// firstDiff returns the first offset where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// checkReadsBack fails unless the Parquet bytes hold the rows of batches.
func checkReadsBack(t *testing.T, data []byte, batches []arrow.RecordBatch) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := readParquetTable(t, path, 333)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	want := array.NewTableFromRecords(batches[0].Schema(), batches)
	defer want.Release()
	if !tableValuesEqual(want, back) {
		t.Fatal("values read back differ")
	}
}

// TestParquetParallelNestedFallsBack: a schema with nested columns is
// written by pqarrow on one goroutine, to the same bytes.
func TestParquetParallelNestedFallsBack(t *testing.T) {
	tbl := typesTable(t)
	defer tbl.Release()
	if parallelSchema(tbl.Schema()) {
		t.Fatal("a schema with list, struct and map columns counts as flat")
	}
	tr := array.NewTableReader(tbl, 2)
	defer tr.Release()
	var batches []arrow.RecordBatch
	for tr.Next() {
		b := tr.RecordBatch()
		b.Retain()
		defer b.Release()
		batches = append(batches, b)
	}
	opt := WriteOptions{Parquet: ParquetOptions{RowGroupRows: 2}}
	if !bytes.Equal(writeWithEncoders(t, tbl.Schema(), batches, opt, 4),
		writeWithEncoders(t, tbl.Schema(), batches, opt, 0)) {
		t.Fatal("bytes differ")
	}
}

// TestParquetParallelSameBytesCorpus: the flat files of parquet-testing,
// written through both paths, give the same bytes.
func TestParquetParallelSameBytesCorpus(t *testing.T) {
	done := 0
	for _, path := range parquetFiles(t) {
		rel, _ := filepath.Rel(parquetTesting, path)
		if _, bad := parquetUnreadable[rel]; bad {
			continue
		}
		tbl, err := readParquetTable(t, path, 100)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if !parallelSchema(tbl.Schema()) {
			tbl.Release()
			continue
		}
		var batches []arrow.RecordBatch
		tr := array.NewTableReader(tbl, 300)
		for tr.Next() {
			b := tr.RecordBatch()
			b.Retain()
			batches = append(batches, b)
		}
		tr.Release()
		opt := WriteOptions{Parquet: ParquetOptions{RowGroupRows: 777}}
		want := writeWithEncoders(t, tbl.Schema(), batches, opt, 0)
		got := writeWithEncoders(t, tbl.Schema(), batches, opt, 3)
		for _, b := range batches {
			b.Release()
		}
		tbl.Release()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: bytes differ at %d", rel, firstDiff(got, want))
		}
		done++
	}
	if done < 20 {
		t.Fatalf("only %d flat files compared", done)
	}
	t.Logf("%d flat files compared", done)
}

// TestParquetEncryptedSequential: an encrypted file is encoded on one
// goroutine by default, and an unencrypted one on several.
func TestParquetEncryptedSequential(t *testing.T) {
	for _, enc := range []*ParquetKeys{nil, {FooterKey: testKey(7)}} {
		var buf bytes.Buffer
		wr, err := NewWriter(&buf, flatSchema, WriteOptions{Format: Parquet, Name: "t.parquet",
			Encrypt: enc})
		if err != nil {
			t.Fatal(err)
		}
		got := wr.(*parquetWriter).encoders
		if (enc != nil) != (got == 0) {
			t.Errorf("encrypted %v: %d encoders", enc != nil, got)
		}
		if err := wr.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestParquetParallelEncrypted: with encryption (random nonces and file
// AAD, so never the same bytes twice) the parallel file has the same size
// and, once decrypted, the same metadata and rows as the sequential one.
func TestParquetParallelEncrypted(t *testing.T) {
	batches := flatBatches(t, []int{1500, 1500, 400})
	key := testKey(7)
	opt := WriteOptions{Parquet: ParquetOptions{RowGroupRows: 1000},
		Encrypt: &ParquetKeys{FooterKey: key}}
	small := parquet.WithDataPageSize(4096)
	want := writeWithEncoders(t, flatSchema, batches, opt, 0, small)
	got := writeWithEncoders(t, flatSchema, batches, opt, 4, small)
	if len(got) != len(want) {
		t.Fatalf("%d bytes, sequential %d", len(got), len(want))
	}

	a, b := openParquetBytes(t, got, key), openParquetBytes(t, want, key)
	if a.NumRowGroups() != 4 {
		t.Fatalf("%d row groups, want 4", a.NumRowGroups())
	}
	sameMetadata(t, a, b)

	path := filepath.Join(t.TempDir(), "enc.parquet")
	if err := os.WriteFile(path, got, 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := readAll(t, path, ReadOptions{Decrypt: &ParquetKeys{FooterKey: key}})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	tbl := array.NewTableFromRecords(flatSchema, batches)
	defer tbl.Release()
	if !tableValuesEqual(tbl, back) {
		t.Fatal("decrypted values differ")
	}
}

// brokenStrings returns a string array whose offsets point past its data
// (all but the last, which arrow-go checks), so that encoding it panics
// inside arrow-go.
func brokenStrings(n int) arrow.Array {
	offsets := make([]int32, n+1)
	for i := range n {
		offsets[i] = int32(i%2) * 1000
	}
	data := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{nil,
		memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets)),
		memory.NewBufferBytes([]byte("short"))}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// TestParquetParallelPanicIsError: a panic in arrow-go on any encoding
// goroutine becomes an error, the writer stays failed, and no goroutine is
// left behind.
func TestParquetParallelPanicIsError(t *testing.T) {
	const cols, rows = 12, 50
	fields := make([]arrow.Field, cols)
	arrs := make([]arrow.Array, cols)
	for i := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: arrow.BinaryTypes.String}
		arrs[i] = brokenStrings(rows)
		defer arrs[i].Release()
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecordBatch(schema, arrs, rows)
	defer rec.Release()
	// A valid first batch: the writer samples the first batch's text.
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range cols {
		b.Field(i).(*array.StringBuilder).AppendValues([]string{"a", "b"}, nil)
	}
	good := b.NewRecordBatch()
	defer good.Release()

	before := runtime.NumGoroutine()
	for range 200 { // the panicking goroutine varies from run to run
		w, err := NewWriter(&bytes.Buffer{}, schema, WriteOptions{Format: Parquet,
			Name: "broken.parquet"})
		if err != nil {
			t.Fatal(err)
		}
		w.(*parquetWriter).encoders = 4
		if err := w.Write(good); err != nil {
			t.Fatal(err)
		}
		err = w.Write(rec)
		if !errors.Is(err, ErrLibraryFailure) || !strings.Contains(err.Error(), "broken.parquet") {
			t.Fatalf("got %v, want a library failure naming the file", err)
		}
		if w.(*parquetWriter).pf == nil {
			t.Fatal("the parallel path was not used")
		}
		if err := w.Write(rec); err == nil {
			t.Fatal("a write after a failure succeeded")
		}
		if err := w.Close(); err == nil {
			t.Fatal("close after a failure succeeded")
		}
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails unless the goroutine count falls back to at most n.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	for range 100 {
		if runtime.NumGoroutine() <= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d goroutines, %d before", runtime.NumGoroutine(), n)
}

// failingSink accepts n bytes, then fails.
type failingSink struct{ n int }

var errSinkFull = errors.New("sink full")

func (f *failingSink) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errSinkFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestParquetParallelErrors: a batch of another schema and a failing sink
// are reported, wrapped, without leaving goroutines behind.
func TestParquetParallelErrors(t *testing.T) {
	batches := flatBatches(t, []int{1500, 1500})
	before := runtime.NumGoroutine()

	t.Run("schema", func(t *testing.T) {
		w, err := NewWriter(&bytes.Buffer{}, flatSchema, WriteOptions{Format: Parquet,
			Name: "s.parquet"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(batches[0]); err != nil {
			t.Fatal(err)
		}
		other := arrow.NewSchema(flatSchema.Fields()[1:], nil)
		cols := batches[1].Columns()[1:]
		rec := array.NewRecordBatch(other, cols, batches[1].NumRows())
		defer rec.Release()
		err = w.Write(rec)
		if err == nil || !strings.Contains(err.Error(), "s.parquet") {
			t.Fatalf("got %v, want a schema error naming the file", err)
		}
		// The writer is still usable.
		if err := w.Write(batches[1]); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("sink", func(t *testing.T) {
		// Room for the magic bytes and part of the first row group.
		sink := &failingSink{n: 20000}
		w, err := NewWriter(sink, flatSchema, WriteOptions{Format: Parquet, Name: "f.parquet",
			Parquet: ParquetOptions{RowGroupRows: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		err = w.Write(batches[0])
		if err == nil {
			err = w.Write(batches[1])
		}
		if err == nil {
			err = w.Close()
		}
		if !errors.Is(err, errSinkFull) || !strings.Contains(err.Error(), "f.parquet") {
			t.Fatalf("got %v, want the sink's error naming the file", err)
		}
	})
	waitGoroutines(t, before)
}

// BenchmarkParquetWriter writes 256 Ki rows of flatSchema to a file in
// 64 Ki-row batches and 128 Ki-row groups, sequentially (pqarrow's
// FileWriter) and with the columns encoded on GOMAXPROCS goroutines.
func BenchmarkParquetWriter(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var batches []arrow.RecordBatch
	for i := range 4 {
		batches = append(batches, flatBatch(r, i<<16, 1<<16))
	}
	defer func() {
		for _, rec := range batches {
			rec.Release()
		}
	}()
	for _, bc := range []struct {
		name     string
		encoders int
	}{{"sequential", 0}, {"parallel", runtime.GOMAXPROCS(0)}} {
		b.Run(bc.name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "bench.parquet"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			for b.Loop() {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					b.Fatal(err)
				}
				wr, err := NewWriter(f, flatSchema, WriteOptions{Format: Parquet})
				if err != nil {
					b.Fatal(err)
				}
				wr.(*parquetWriter).encoders = bc.encoders
				for _, rec := range batches {
					if err := wr.Write(rec); err != nil {
						b.Fatal(err)
					}
				}
				if err := wr.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(4<<16), "ns/row")
		})
	}
}

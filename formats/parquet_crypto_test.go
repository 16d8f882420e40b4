package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// planted is a value that must not appear in plaintext in an encrypted file.
const planted = "SENTINEL-planted-4929-4242-ssn"

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, EncryptionKeySize) }

// writeEncrypted writes rows of a one-column text table (with the planted
// value) to a Parquet file encrypted with key, in several pages and row
// groups, and returns its path.
func writeEncrypted(t *testing.T, key []byte, rows int) string {
	t.Helper()
	names := []string{"id", "secret"}
	var data [][]any
	for i := range rows {
		data = append(data, []any{fmt.Sprint(i), fmt.Sprintf("%s-%d", planted, i%7)})
	}
	rec := textBatch(memory.DefaultAllocator, names, data)
	defer rec.Release()

	path := filepath.Join(t.TempDir(), "enc.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, rec.Schema(), WriteOptions{Format: Parquet, Name: path,
		Parquet: ParquetOptions{Compression: "none", RowGroupRows: 1000},
		Encrypt: &ParquetKeys{FooterKey: key}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads every batch of a Parquet file with opt into a table.
func readAll(t *testing.T, path string, opt ReadOptions) (arrow.Table, error) {
	t.Helper()
	opt.Format = Parquet
	rd, err := Open(path, opt)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for rd.Next() {
		rec := rd.RecordBatch()
		rec.Retain()
		recs = append(recs, rec)
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	return array.NewTableFromRecords(rd.Schema(), recs), nil
}

// TestParquetEncryptionRoundTrip writes encrypted Parquet (AES-GCM, 256-bit
// key, footer and columns) and reads it back with the key.
func TestParquetEncryptionRoundTrip(t *testing.T) {
	key := testKey(7)
	path := writeEncrypted(t, key, 2500)

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("PARE")) || !bytes.HasSuffix(raw, []byte("PARE")) {
		t.Errorf("file does not carry the encrypted-footer magic PARE")
	}
	for _, s := range []string{planted, "secret"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the plaintext %q is in the encrypted file", s)
		}
	}

	tbl, err := readAll(t, path, ReadOptions{Name: "enc.parquet",
		Decrypt: &ParquetKeys{FooterKey: key}})
	if err != nil {
		t.Fatalf("read with the key: %v", err)
	}
	defer tbl.Release()
	if tbl.NumRows() != 2500 || tbl.NumCols() != 2 {
		t.Fatalf("read %d rows, %d columns; want 2500, 2", tbl.NumRows(), tbl.NumCols())
	}
	col := tbl.Column(1).Data().Chunk(0).(*array.String)
	if got, want := col.Value(3), planted+"-3"; got != want {
		t.Errorf("row 3 = %q, want %q", got, want)
	}
}

// TestParquetEncryptionWrongKey checks that a missing or wrong key gives a
// clean error naming the file, never data and never the key.
func TestParquetEncryptionWrongKey(t *testing.T) {
	key := testKey(7)
	path := writeEncrypted(t, key, 100)

	tests := []struct {
		name string
		keys *ParquetKeys
		want error
	}{
		{"no key", nil, ErrEncrypted},
		{"wrong key", &ParquetKeys{FooterKey: testKey(8)}, ErrDecrypt},
		{"wrong short key", &ParquetKeys{FooterKey: bytes.Repeat([]byte{9}, 16)}, ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := readAll(t, path, ReadOptions{Name: "enc.parquet", Decrypt: tt.keys})
			if err == nil {
				tbl.Release()
				t.Fatal("read without error")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q, want %v", err, tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, "enc.parquet") {
				t.Errorf("error does not name the file: %q", msg)
			}
			if strings.Contains(msg, planted) || strings.Contains(msg, string(key)) ||
				strings.Contains(msg, "panic") {
				t.Errorf("error leaks data, the key or a panic: %q", msg)
			}
		})
	}
}

// TestParquetEncryptionBadKeys checks key lengths and that other formats
// refuse encryption.
func TestParquetEncryptionBadKeys(t *testing.T) {
	rec := textBatch(memory.DefaultAllocator, []string{"a"}, [][]any{{"x"}})
	defer rec.Release()
	var buf bytes.Buffer
	_, err := NewWriter(&buf, rec.Schema(), WriteOptions{Format: Parquet,
		Encrypt: &ParquetKeys{FooterKey: make([]byte, 16)}})
	if err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Errorf("16-byte output key: error %v, want one asking for 32 bytes", err)
	}
	_, err = NewWriter(&buf, rec.Schema(), WriteOptions{Format: CSV,
		Encrypt: &ParquetKeys{FooterKey: testKey(1)}})
	if err == nil || !strings.Contains(err.Error(), "encryption needs Parquet") {
		t.Errorf("encrypted CSV: error %v", err)
	}
}

// TestParseKey covers the key encodings of key files and environment
// variables.
func TestParseKey(t *testing.T) {
	hex64 := strings.Repeat("0f", 32)
	tests := []struct {
		name string
		in   string
		n    int // key length, or 0 for an error
	}{
		{"hex 64", hex64, 32},
		{"hex 64 with newline", hex64 + "\n", 32},
		{"hex 64 with spaces", "  " + hex64 + " \r\n", 32},
		{"hex 32 (AES-128)", strings.Repeat("ab", 16), 16},
		{"raw 32", strings.Repeat("k", 32), 32},
		{"raw 32 with newline", strings.Repeat("k", 32) + "\n", 32},
		{"raw 32 ending in newline byte", strings.Repeat("k", 31) + "\n", 32},
		{"raw 16", strings.Repeat("k", 16), 16},
		{"too short", "short", 0},
		{"odd hex", strings.Repeat("a", 63), 0},
		{"empty", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseKey([]byte(tt.in))
			if tt.n == 0 {
				if err == nil {
					t.Fatalf("accepted, want an error")
				}
				if tt.in != "" && strings.Contains(err.Error(), tt.in) {
					t.Errorf("error quotes the key file: %q", err)
				}
				return
			}
			if err != nil || len(key) != tt.n {
				t.Errorf("got %d bytes, %v; want %d bytes", len(key), err, tt.n)
			}
		})
	}
}

// TestParquetKeysRedacted checks that keys never print.
func TestParquetKeysRedacted(t *testing.T) {
	k := &ParquetKeys{FooterKey: []byte("KEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKE")}
	var log bytes.Buffer
	slog.New(slog.NewTextHandler(&log, nil)).Info("x", "keys", k)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%+v %#v %s %x", k, k, k, k),
		fmt.Sprintf("%v", ReadOptions{Decrypt: k}), log.String()} {
		if strings.Contains(s, "KEYKEY") || strings.Contains(s, "4b45594b") {
			t.Errorf("key printed: %q", s)
		}
	}
}

// parquetTestingKeys are the keys of the parquet-testing encrypted files,
// from testdata/parquet-testing/data/README.md.
func parquetTestingKeys(aes256 bool) *ParquetKeys {
	// digits returns n bytes counting 0..9 repeatedly from start.
	digits := func(start, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + (start+i)%10)
		}
		return b
	}
	if !aes256 {
		return &ParquetKeys{FooterKey: digits(0, 16), ColumnKeys: map[string][]byte{
			"double_field": append(digits(1, 15), '0'),
			"float_field":  append(digits(1, 15), '1'),
		}}
	}
	k := &ParquetKeys{FooterKey: digits(0, 32), ColumnKeys: map[string][]byte{}}
	names := []string{"double_field", "float_field", "boolean_field", "int32_field",
		"ba_field", "flba_field", "int64_field.list.element", "int96_field"}
	for i, n := range names {
		k.ColumnKeys[n] = append(digits(1, 31), byte('2'+i))
	}
	return k
}

// int96Range is how the whole-file read of the parquet-testing encrypted
// files fails once they are decrypted: their int96_field holds values that
// arrow-go cannot convert to nanosecond timestamps. That is no decryption
// problem; the other columns are checked with readDecryptedColumns.
const int96Range = "INT96 timestamp is outside the Arrow nanosecond range"

// TestParquetTestingEncryptedFiles reads the AES-128 and AES-256 encrypted
// files of parquet-testing with the keys their README gives (ASCII digits):
// through Open, where every file decrypts and then fails on int96_field
// (see int96Range), and column by column without int96_field, where every
// value of double_field must be i*1.1111111 as the upstream tests write it.
func TestParquetTestingEncryptedFiles(t *testing.T) {
	tests := []struct {
		file   string
		aad    string
		aes256 bool
		ok     bool // the whole file reads through Open
	}{
		{file: "uniform_encryption.parquet.encrypted"},
		{file: "encrypt_columns_and_footer.parquet.encrypted"},
		{file: "encrypt_columns_and_footer_aad.parquet.encrypted"},
		{file: "encrypt_columns_and_footer_bloom_filter.parquet.encrypted", ok: true},
		{file: "encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted",
			aad: "tester"},
		{file: "encrypt_columns_plaintext_footer.parquet.encrypted"},
		{file: "aes256/encrypt_columns_and_footer.parquet.encrypted", aes256: true},
		{file: "aes256/encrypt_columns_and_footer_ctr.parquet.encrypted", aes256: true},
		{file: "aes256/encrypt_columns_and_footer_disable_aad_storage.parquet.encrypted",
			aes256: true, aad: "tester"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			keys := parquetTestingKeys(tt.aes256)
			keys.AADPrefix = tt.aad
			path := filepath.Join(parquetTesting, "data", tt.file)
			tbl, err := readAll(t, path, ReadOptions{Decrypt: keys, BatchSize: 100})
			switch {
			case err == nil && tt.ok:
				if tbl.NumRows() == 0 {
					t.Error("read no rows")
				}
				tbl.Release()
			case err == nil:
				tbl.Release()
				t.Errorf("read without the expected error %q", int96Range)
			case tt.ok || !strings.Contains(err.Error(), int96Range):
				t.Errorf("read: %v", err)
			}
			readDecryptedColumns(t, path, keys, !tt.ok)

			// Without the AAD prefix the file cannot be read.
			if tt.aad != "" {
				keys := parquetTestingKeys(tt.aes256)
				if tbl, err := readAll(t, path, ReadOptions{Decrypt: keys}); err == nil {
					tbl.Release()
					t.Error("read without the AAD prefix")
				} else if strings.Contains(err.Error(), "panic") {
					t.Errorf("reader panicked: %v", err)
				}
			}
		})
	}
}

// readDecryptedColumns reads every column but int96_field of an encrypted
// file and, if checkDouble, the values of double_field (the bloom filter
// file holds other values).
func readDecryptedColumns(t *testing.T, path string, keys *ParquetKeys, checkDouble bool) {
	t.Helper()
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	var err error
	if props.FileDecryptProps, err = decryptionProperties(keys); err != nil {
		t.Fatal(err)
	}
	pf, err := file.OpenParquetFile(path, false, file.WithReadProps(props))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1000},
		memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := fr.Schema()
	if err != nil {
		t.Fatal(err)
	}
	var cols []int
	for i, f := range schema.Fields() {
		if f.Name != "int96_field" {
			cols = append(cols, i)
		}
	}
	rr, err := fr.GetRecordReader(context.Background(), cols, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var rows int
	for rr.Next() {
		rec := rr.RecordBatch()
		idx := rec.Schema().FieldIndices("double_field")
		if len(idx) != 1 {
			t.Fatal("no double_field")
		}
		d := rec.Column(idx[0]).(*array.Float64)
		for i := range d.Len() {
			if !checkDouble {
				break
			}
			want := float64(rows+i) * 1.1111111
			if diff := d.Value(i) - want; diff > 1e-6 || diff < -1e-6 {
				t.Fatalf("double_field[%d] = %v, want %v", rows+i, d.Value(i), want)
			}
		}
		rows += int(rec.NumRows())
	}
	if err := rr.Err(); err != nil {
		t.Fatalf("read columns: %v", err)
	}
	if rows == 0 {
		t.Error("no rows")
	}
}

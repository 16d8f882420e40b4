package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/anon-data/anon/formats"
)

// unreadableParquet lists the parquet-testing files that arrow-go cannot
// read, with the reason; each must fail cleanly (exit 1, no output).
var unreadableParquet = map[string]string{
	"hadoop_lz4_compressed.parquet":             "deprecated LZ4 codec unimplemented",
	"hadoop_lz4_compressed_larger.parquet":      "deprecated LZ4 codec unimplemented",
	"non_hadoop_lz4_compressed.parquet":         "deprecated LZ4 codec unimplemented",
	"datapage_v2_empty_datapage.snappy.parquet": "empty V2 page handed to Snappy",
	"incorrect_map_schema.parquet":              "MAP keys must be required",
}

// TestParquetTestingKeepAll passes every readable file of the Apache
// parquet-testing corpus through `anon run` with a keep-all profile and
// checks that values and types come out identical.
func TestParquetTestingKeepAll(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "keep.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	files, _ := filepath.Glob(repo("testdata", "parquet-testing", "data", "*.parquet"))
	geo, _ := filepath.Glob(repo("testdata", "parquet-testing", "data", "geospatial", "*.parquet"))
	files = append(files, geo...)
	if len(files) < 40 {
		t.Fatalf("found only %d parquet-testing files", len(files))
	}
	sort.Strings(files)

	for _, in := range files {
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out)
			if reason, bad := unreadableParquet[name]; bad {
				if r.code != exitFailed || strings.Contains(r.stderr, "panic") {
					t.Errorf("%s (%s): exit %d, want a clean failure:\n%s", name, reason,
						r.code, r.stderr)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
			want, got := readTable(t, in), readTable(t, out)
			defer want.Release()
			defer got.Release()
			if renamedLists[name] {
				// A REPEATED field without a LIST annotation is read as
				// list<item>; written back it is a standard list<element>.
				// Only the element's name differs: compare the values.
				if tableJSON(t, want) != tableJSON(t, got) {
					t.Errorf("values changed")
				}
				return
			}
			if !want.Schema().Equal(got.Schema()) {
				t.Errorf("schema changed:\n got %v\nwant %v", got.Schema(), want.Schema())
			}
			if !array.TableApproxEqual(want, got, array.WithNaNsEqual(true)) {
				t.Errorf("values changed")
			}
		})
	}
}

// renamedLists are files whose list element name changes on the round trip.
var renamedLists = map[string]bool{"repeated_primitive_no_list.parquet": true}

// tableJSON renders a table's rows as JSON.
func tableJSON(t *testing.T, tbl arrow.Table) string {
	t.Helper()
	var b strings.Builder
	tr := array.NewTableReader(tbl, 1024)
	defer tr.Release()
	for tr.Next() {
		js, err := tr.RecordBatch().MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
	}
	return b.String()
}

// readTable reads a whole Parquet file with the formats reader.
func readTable(t *testing.T, path string) arrow.Table {
	t.Helper()
	r, err := formats.Open(path, formats.ReadOptions{Format: formats.Parquet})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var batches []arrow.RecordBatch
	for r.Next() {
		b := r.RecordBatch()
		b.Retain()
		batches = append(batches, b)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	tbl := array.NewTableFromRecords(r.Schema(), batches)
	for _, b := range batches {
		b.Release()
	}
	return tbl
}

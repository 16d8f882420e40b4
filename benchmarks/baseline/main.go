// Command baseline copies a file through arrow-go with no transform at all:
// the speed limit of anon's own stack, which `make bench` compares `anon run`
// against.
//
//	baseline -in people.csv -out copy.parquet
//
// It uses the best settings measured in shared/notes/libraries.md: an
// explicit all-utf8 schema for CSV, one reader goroutine, two pass-through
// workers and an ordered writer joined by bounded channels, and Parquet
// dictionary encoding off for the high-cardinality columns.
//
// Readers and writers, by default the fastest arrow-go path measured here:
//   - CSV input: anon's formats CSV reader (-reader anon), which fills Arrow
//     builders directly; -reader arrow uses arrow's csv.Reader instead.
//   - NDJSON input: anon's formats NDJSON reader (-reader anon); -reader arrow
//     uses arrow's array.JSONReader, about four times slower.
//   - Parquet input: pqarrow's FileReader with column-parallel decoding.
//   - CSV output: anon's formats CSV writer (-writer anon) or arrow's
//     csv.Writer (-writer arrow).
//   - Parquet output: pqarrow's FileWriter with WriteBuffered, Snappy,
//     128 Ki-row row groups and the dictionary settings above.
//
// The output is flushed to disk (fsync) before it is closed, by default
// (-sync): anon syncs every output before renaming it into place, and a
// baseline that left its pages in the cache would charge that durability
// step to anon's pipeline. It costs about 0.1 s on a 350 MB CSV here.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	var c config
	flag.StringVar(&c.in, "in", "", "input file (.csv, .ndjson or .parquet)")
	flag.StringVar(&c.out, "out", "", "output file (.csv or .parquet)")
	flag.StringVar(&c.reader, "reader", "anon", "text reader: anon (formats) or arrow")
	flag.StringVar(&c.writer, "writer", "anon", "CSV writer: anon (formats) or arrow")
	flag.IntVar(&c.workers, "workers", 2, "pass-through workers between reader and writer")
	flag.IntVar(&c.batch, "batch", 64*1024, "rows per batch")
	flag.BoolVar(&c.parallel, "parallel-read", true, "decode Parquet columns in parallel")
	flag.BoolVar(&c.sync, "sync", true,
		"flush the output to disk before closing it, as anon's atomic write does")
	noDict := flag.String("no-dict", "id,signup,salary,email,ssn,phone,note",
		"Parquet columns written without dictionary encoding (comma-separated)")
	flag.Parse()
	if *noDict != "" {
		c.noDict = strings.Split(*noDict, ",")
	}
	rows, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "baseline: copied %d rows\n", rows)
}

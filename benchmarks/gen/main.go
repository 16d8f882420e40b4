// Command gen writes a realistic, seeded people table for the benchmarks, in
// CSV, NDJSON and Parquet:
//
//	go run ./benchmarks/gen -rows 2000000 -seed 42 -out out/bench
//
// writes people.csv, people.ndjson and people.parquet with the columns id,
// first_name, last_name, email, phone, ssn, birth_date, zip, city, salary,
// signup, note and category. The three files hold the same rows. Names and
// emails are mostly distinct, zips keep their leading zeros, salary is empty
// in 1% of rows, and note is a free text that is empty in 10% of rows, often
// holds commas and quotes, sometimes an email or phone, and rarely a newline.
//
// With -adult-rows N it writes adult-N.csv instead: N rows drawn from the
// Adult extract, for the k-anonymity benchmark on a large table.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	rows := flag.Int("rows", 2_000_000, "number of rows")
	seed := flag.Uint64("seed", 42, "random seed; the same seed gives the same files")
	out := flag.String("out", "out/bench", "output directory")
	adultRows := flag.Int("adult-rows", 0,
		"instead, write adult-N.csv: N rows drawn from the Adult extract (k-anonymity)")
	adultSrc := flag.String("adult-src", "testdata/adult/adult.csv", "the Adult extract")
	flag.Parse()
	if *adultRows > 0 {
		if err := generateAdult(*adultSrc, *out, *adultRows, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := generate(*out, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

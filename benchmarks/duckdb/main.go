// Command duckdb-peer copies a file with DuckDB, plainly or with the SQL
// closest to benchmarks/profiles/reference.yaml, so that `make bench` can
// compare anon with the engine a data engineer would reach for instead.
//
// It lives in its own Go module so that the anon module never depends on
// duckdb-go (cgo, about 150 MB of platform libraries on first build).
//
//	duckdb-peer -in people.csv -out out.parquet -mode ref
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	in := flag.String("in", "", "input file (.csv, .ndjson or .parquet)")
	out := flag.String("out", "", "output file (.csv or .parquet)")
	mode := flag.String("mode", "copy", "copy (SELECT *) or ref (SQL closest to reference.yaml)")
	threads := flag.Int("threads", 0, "DuckDB threads; 0 keeps DuckDB's default (one per core)")
	flag.Parse()
	if err := run(*in, *out, *mode, *threads); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb-peer:", err)
		os.Exit(1)
	}
}

func run(in, out, mode string, threads int) error {
	if in == "" || out == "" {
		return fmt.Errorf("-in and -out are required")
	}
	src, err := source(in)
	if err != nil {
		return err
	}
	dst, err := target(out)
	if err != nil {
		return err
	}
	var sel string
	switch mode {
	case "copy":
		sel = "SELECT * FROM " + src
	case "ref":
		sel = referenceSQL(src)
	default:
		return fmt.Errorf("unknown -mode %q (want copy or ref)", mode)
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	if threads > 0 {
		if _, err := db.Exec(fmt.Sprintf("SET threads=%d", threads)); err != nil {
			return fmt.Errorf("set threads: %w", err)
		}
	}
	q := fmt.Sprintf("COPY (%s) TO %s %s", sel, quote(out), dst)
	if _, err := db.Exec(q); err != nil {
		return fmt.Errorf("copy %s to %s: %w", in, out, err)
	}
	return nil
}

// source returns the table function that reads path.
func source(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "read_csv(" + quote(path) + ", header = true)", nil
	case ".ndjson", ".jsonl":
		return "read_json(" + quote(path) + ", format = 'newline_delimited')", nil
	case ".parquet":
		return "read_parquet(" + quote(path) + ")", nil
	}
	return "", fmt.Errorf("unknown input format: %s", path)
}

// target returns the COPY options that write path.
func target(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "(FORMAT csv, HEADER true)", nil
	case ".parquet":
		return "(FORMAT parquet, COMPRESSION snappy)", nil
	}
	return "", fmt.Errorf("unknown output format: %s", path)
}

// referenceSQL is the closest DuckDB SQL to benchmarks/profiles/reference.yaml:
// md5 where anon fakes or hashes, left/right with repeat where it masks or
// keeps a prefix, arithmetic with random() where it adds noise, left() where
// it generalizes a date to its year, regexp_replace where it scrubs, and a
// literal for constant.
// anon's keyed HMAC derivations cost more than md5; that difference is part
// of what the benchmark measures.
func referenceSQL(src string) string {
	v := func(c string) string { return "CAST(" + c + " AS VARCHAR)" }
	cols := []string{
		"id",
		"md5(" + v("first_name") + ") AS first_name",
		"md5(" + v("last_name") + ") AS last_name",
		"md5(" + v("email") + ") AS email",
		"repeat('*', greatest(length(" + v("phone") + ") - 4, 0)) || right(" + v("phone") +
			", 4) AS phone",
		"left(md5(" + v("ssn") + "), 20) AS ssn",
		"left(" + v("birth_date") + ", 4) AS birth_date",
		"left(" + v("zip") + ", 3) || repeat('*', greatest(length(" + v("zip") +
			") - 3, 0)) AS zip",
		"city",
		"round(greatest(0, CAST(salary AS DOUBLE) * (1 + 0.05 * (2 * random() - 1))), 2)" +
			" AS salary",
		"CAST(signup AS TIMESTAMP) + to_days(CAST(floor(random() * 61) AS INTEGER) - 30)" +
			" AS signup",
		"regexp_replace(regexp_replace(note, " + quote(sqlEmailPattern) + ", '<EMAIL>', 'g'), " +
			quote(sqlPhonePattern) + ", '<PHONE>', 'g') AS note",
		"'redacted' AS category",
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + src
}

// sqlEmailPattern and sqlPhonePattern are the candidate patterns of anon's
// detect package for emails and phone numbers (detect/spans.go), in RE2
// syntax, which DuckDB's regexp_replace uses too.
const (
	sqlEmailPattern = `[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`
	sqlPhonePattern = `(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,16}\d`
)

// quote returns s as an SQL string literal.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keepAll is the profile of the bad-input tests: every column kept.
const keepAll = "version: 1\ndefault: keep\ncolumns: {}\n"

// badCase is one malformed input run through `anon run`.
type badCase struct {
	name   string
	path   string   // the input
	args   []string // extra flags
	code   int      // the exact exit code
	output string   // for exit 0: the exact output
	lines  int      // for exit 0 when set: the output's line count instead
}

// TestBadInputThroughCLI runs `anon run` with a keep-all profile on every
// malformed file of the external test suites and on generated cases, and
// checks the exact exit code, a message naming the file, no panic, and that
// no output or temporary file is left behind.
func TestBadInputThroughCLI(t *testing.T) {
	gen := t.TempDir()
	prof := writeFile(t, gen, "keep.yaml", keepAll)
	var cases []badCase

	// JSONTestSuite: every n_ file, read as NDJSON, must fail.
	nFiles, err := filepath.Glob(repo("testdata", "JSONTestSuite", "test_parsing", "n_*.json"))
	if err != nil || len(nFiles) < 100 {
		t.Fatalf("found %d JSONTestSuite n_ files (%v), want 100 or more", len(nFiles), err)
	}
	for _, p := range nFiles {
		cases = append(cases, badCase{name: "json/" + filepath.Base(p), path: p,
			args: []string{"--input-format", "ndjson"}, code: exitFailed})
	}

	// parquet-testing bad_data: every file must fail.
	bad, err := filepath.Glob(repo("testdata", "parquet-testing", "bad_data", "*.parquet"))
	if err != nil || len(bad) < 5 {
		t.Fatalf("found %d bad_data files (%v)", len(bad), err)
	}
	for _, p := range bad {
		c := badCase{name: "parquet/" + filepath.Base(p), path: p, code: exitFailed}
		if filepath.Base(p) == "ARROW-GH-43605.parquet" {
			// Dictionary indices of bit width 0: every index is 0. arrow-go and
			// Arrow C++ read it (see TestParquetTolerated): header + 21,186 rows.
			c.code, c.lines = exitOK, 21187
		}
		cases = append(cases, c)
	}

	// Broken CSVs of the third-party fixtures.
	for _, f := range []string{
		"csvkit-examples/bad.csv",                          // ragged: long and short rows
		"csvkit-examples/test_empty_columns_short_row.csv", // a short row
		"csvkit-examples/test_latin1.csv",                  // Latin-1, not UTF-8
		"csvkit-examples/test_utf16_little.csv",            // UTF-16
		"csvkit-examples/mac_newlines.csv",                 // CR line ends: a bare CR
		"csvkit-examples/empty.csv",                        // only a newline
		"csv-parser-fixtures/strict.csv",                   // too many fields
		"csv-parser-fixtures/strict-false-less-columns.csv",
		"csv-parser-fixtures/bad-data.csv",
	} {
		cases = append(cases, badCase{name: "csv/" + f, path: repo("testdata", "csv", f),
			code: exitFailed})
	}

	// Generated cases.
	valid, err := os.ReadFile(repo("testdata", "kylo-userdata", "parquet", "userdata1.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	genFile := func(name, content string) string {
		return writeFile(t, gen, name, content)
	}
	cases = append(cases,
		badCase{name: "truncated parquet", code: exitFailed,
			path: genFile("truncated.parquet", string(valid[:len(valid)/2]))},
		badCase{name: "parquet missing its last byte", code: exitFailed,
			path: genFile("short.parquet", string(valid[:len(valid)-1]))},
		badCase{name: "zero-byte parquet", code: exitFailed,
			path: genFile("zero.parquet", "")},
		badCase{name: "csv row with too many fields", code: exitFailed,
			path: genFile("many.csv", "a,b\n1,2\n3,4,5\n")},
		badCase{name: "csv row with too few fields", code: exitFailed,
			path: genFile("few.csv", "a,b\n1,2\n3\n")},
		badCase{name: "csv invalid utf-8", code: exitFailed,
			path: genFile("utf8.csv", "a,b\n1,\xff\xfe\n")},
		badCase{name: "ndjson invalid utf-8", code: exitFailed,
			path: genFile("utf8.ndjson", "{\"a\":\"\xff\"}\n")},
		badCase{name: "csv header only", code: exitOK, output: "a,b,c\n",
			path: genFile("header.csv", "a,b,c\n")},
		badCase{name: "csv header only without newline", code: exitOK, output: "a,b,c\n",
			path: genFile("header2.csv", "a,b,c")},
		badCase{name: "empty csv", code: exitFailed, path: genFile("empty.csv", "")},
		badCase{name: "empty ndjson", code: exitFailed, path: genFile("empty.ndjson", "")},
		badCase{name: "empty json", code: exitFailed, path: genFile("empty.json", "")},
		badCase{name: "json empty array", code: exitFailed, path: genFile("arr.json", "[]\n")},
	)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.csv")
			args := append([]string{"run", "-p", prof, "-i", tc.path, "-o", out,
				"--no-progress"}, tc.args...)
			r := anon(t, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, s := range []string{"goroutine ", "panic:", "panicked"} {
				if strings.Contains(r.stderr+r.stdout, s) {
					t.Errorf("output shows %q:\n%s", s, r.stderr)
				}
			}
			entries, _ := os.ReadDir(dir)
			if tc.code != exitOK {
				if !strings.Contains(r.stderr, tc.path) {
					t.Errorf("the message does not name %s:\n%s", tc.path, r.stderr)
				}
				for _, e := range entries {
					t.Errorf("left %s behind", e.Name())
				}
				return
			}
			if len(entries) != 1 {
				t.Errorf("files left: %v, want out.csv only", entries)
			}
			if tc.lines > 0 {
				if n := strings.Count(readFile(t, out), "\n"); n != tc.lines {
					t.Errorf("output has %d lines, want %d", n, tc.lines)
				}
				return
			}
			if got := readFile(t, out); got != tc.output {
				t.Errorf("output %q, want %q", got, tc.output)
			}
		})
	}
}

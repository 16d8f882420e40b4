package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFolder: --input DIR --output DIR mirrors a partitioned layout,
// keeps fakes consistent across files, and makes every file atomic.
func TestRunFolder(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	in := filepath.Join(dir, "dump")
	for _, p := range []string{"year=2024/month=01", "year=2024/month=02"} {
		if err := os.MkdirAll(filepath.Join(in, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(in, "year=2024/month=01"), "part-0001.csv",
		"id,email\n1,ana@example.org\n2,bo@example.org\n")
	writeFile(t, filepath.Join(in, "year=2024/month=02"), "part-0001.csv",
		"id,email\n3,ana@example.org\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: fake, kind: email}\n")
	out := filepath.Join(dir, "clean")

	r := mustRun(t, "run", "-p", prof, "-i", in, "-o", out)
	if !strings.Contains(r.stderr, "2 files written") {
		t.Errorf("summary missing:\n%s", r.stderr)
	}
	jan := csvColumn(t, readFile(t, filepath.Join(out, "year=2024/month=01/part-0001.csv")),
		"email")
	feb := csvColumn(t, readFile(t, filepath.Join(out, "year=2024/month=02/part-0001.csv")),
		"email")
	if jan[0] != feb[0] || jan[0] == "ana@example.org" {
		t.Errorf("the same email got %q and %q in two files", jan[0], feb[0])
	}

	// A bad file fails the run and names itself; the good file is still whole.
	writeFile(t, filepath.Join(in, "year=2024/month=02"), "part-0002.csv", "id,email\n1\n")
	r = anon(t, "", "run", "-p", prof, "-i", in, "-o", filepath.Join(dir, "clean2"))
	if r.code != exitFailed || !strings.Contains(r.stderr, "part-0002.csv") ||
		!strings.Contains(r.stderr, "of 3 files were not started") {
		t.Errorf("exit %d, want 1 naming the bad file and counting the files:\n%s",
			r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "clean2/year=2024/month=02/part-0002.csv")); err == nil {
		t.Error("the failed file has an output")
	}

	r = anon(t, "", "run", "-p", prof, "-i", in, "-o", filepath.Join(in, "inner"))
	if r.code != exitUsage {
		t.Errorf("output inside input: exit %d, want 2", r.code)
	}
}

// TestRunFolderNoHeader: --no-header reaches every file of a folder run, and
// is refused for an input that is not CSV.
func TestRunFolderNoHeader(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	in := filepath.Join(dir, "dump")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, in, "a.csv", "1,ana@example.org\n2,bo@example.org\n")
	writeFile(t, in, "b.csv", "3,cy@example.org\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  col1: keep\n"+
		"  col2: {strategy: fake, kind: email}\n")
	out := filepath.Join(dir, "clean")

	mustRun(t, "run", "-p", prof, "-i", in, "-o", out, "--no-header")
	for file, first := range map[string]string{"a.csv": "1,", "b.csv": "3,"} {
		got := readFile(t, filepath.Join(out, file))
		leaked := strings.Contains(got, "ana@example.org") ||
			strings.Contains(got, "cy@example.org")
		if !strings.HasPrefix(got, first) || leaked {
			t.Errorf("%s: got %q, want headerless rows from %q with faked emails",
				file, got, first)
		}
	}

	nd := writeFile(t, dir, "x.ndjson", `{"col1":1,"col2":"a@b.org"}`+"\n")
	r := anon(t, "", "run", "-p", prof, "-i", nd, "-o", filepath.Join(dir, "x.out.ndjson"),
		"--no-header")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--no-header applies to CSV") {
		t.Errorf("--no-header on NDJSON: exit %d, want 2:\n%s", r.code, r.stderr)
	}
}

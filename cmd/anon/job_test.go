package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShopJobKeepsJoins runs the worked multi-table example of the README:
// three tables in three formats, whose ids and emails share namespaces, and
// checks that every foreign key joins as often after as before, while the
// values themselves changed.
func TestShopJobKeepsJoins(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	out := t.TempDir()
	r := mustRun(t, "job", "-f", repo("profiles", "examples", "shop", "job.yaml"),
		"--output-dir", out)
	for _, want := range []string{
		"orders.user_id -> users.id: 116 of 120 rows join before, 116 of 120 after: ok",
		"orders.customer_email -> users.email: 120 of 120 rows join before, 120 of 120 after: ok",
		"payments.user_id -> users.id: 80 of 80 rows join before, 80 of 80 after: ok",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("job output lacks %q:\n%s", want, r.stderr)
		}
	}

	in := readFile(t, repo("testdata", "relational", "users.csv"))
	got := readFile(t, filepath.Join(out, "users.csv"))
	inIDs, outIDs := csvColumn(t, in, "id"), csvColumn(t, got, "id")
	inMail, outMail := csvColumn(t, in, "email"), csvColumn(t, got, "email")
	seen := map[string]bool{}
	for i := range inIDs {
		if inIDs[i] == outIDs[i] || inMail[i] == outMail[i] {
			t.Errorf("row %d kept its id or email", i+1)
		}
		if len(outIDs[i]) != len(inIDs[i]) || seen[outIDs[i]] {
			t.Errorf("row %d: token %q is not a unique 6-digit id", i+1, outIDs[i])
		}
		seen[outIDs[i]] = true
	}
}

// TestJobDetectsBrokenJoins: a profile that maps a key differently in two
// tables breaks the join, and the job fails.
func TestJobDetectsBrokenJoins(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	writeFile(t, dir, "a.csv", "id\n100001\n100002\n")
	writeFile(t, dir, "b.csv", "ref\n100001\n100002\n")
	writeFile(t, dir, "a.yaml", "version: 1\ncolumns:\n  id: {strategy: tokenize, namespace: x}\n")
	writeFile(t, dir, "b.yaml", "version: 1\ncolumns:\n  ref: {strategy: tokenize, namespace: y}\n")
	job := writeFile(t, dir, "job.yaml", "version: 1\ntables:\n"+
		"  - {name: a, input: a.csv, profile: a.yaml, output: a.csv}\n"+
		"  - {name: b, input: b.csv, profile: b.yaml, output: b.csv}\n"+
		"foreign_keys:\n  - {from: b.ref, to: a.id}\n")
	r := anon(t, "", "job", "-f", job, "--output-dir", filepath.Join(dir, "out"))
	if r.code != exitFailed || !strings.Contains(r.stderr, "BROKEN") {
		t.Errorf("exit %d, want 1 with a broken join:\n%s", r.code, r.stderr)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "out")); len(left) != 0 {
		t.Errorf("a failed job left %d entries in its output folder", len(left))
	}

	bad := writeFile(t, dir, "bad.yaml", "version: 1\ntables:\n"+
		"  - {name: a, input: a.csv, profile: a.yaml, output: a.csv}\n"+
		"foreign_keys:\n  - {from: c.ref, to: a.id}\n")
	r = anon(t, "", "job", "-f", bad, "--output-dir", filepath.Join(dir, "out2"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "foreign_keys[0]") {
		t.Errorf("exit %d, want 2 naming the bad key:\n%s", r.code, r.stderr)
	}
}

// TestJobFromFolder: --input-dir takes a profile per file name.
func TestJobFromFolder(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	profs := filepath.Join(dir, "profiles")
	for _, d := range []string{in, profs} {
		if err := mkdir(d); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, in, "a.csv", "x\n1\n")
	writeFile(t, in, "b.ndjson", "{\"y\":\"secret\"}\n")
	writeFile(t, profs, "a.yaml", "version: 1\ncolumns:\n  x: keep\n")
	writeFile(t, profs, "b.yaml", "version: 1\ncolumns:\n  y: {strategy: mask}\n")
	out := filepath.Join(dir, "out")
	mustRun(t, "job", "--input-dir", in, "--profile-dir", profs, "--output-dir", out)
	if got := readFile(t, filepath.Join(out, "b.ndjson")); got != "{\"y\":\"******\"}\n" {
		t.Errorf("b.ndjson = %q", got)
	}

	writeFile(t, in, "c.csv", "z\n1\n")
	r := anon(t, "", "job", "--input-dir", in, "--profile-dir", profs, "--output-dir", out,
		"--force")
	if r.code != exitUsage || !strings.Contains(r.stderr, "c.csv") {
		t.Errorf("a file without a profile: exit %d:\n%s", r.code, r.stderr)
	}
}

func TestJobRejectsSharedOutputs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.csv", "id\n1\n")
	writeFile(t, dir, "a.yaml", "version: 1\ncolumns:\n  id: keep\n")
	job := writeFile(t, dir, "job.yaml", "version: 1\ntables:\n"+
		"  - {name: a, input: a.csv, profile: a.yaml, output: x.csv}\n"+
		"  - {name: b, input: a.csv, profile: a.yaml, output: ./x.csv}\n")
	out := filepath.Join(dir, "out")
	r := anon(t, "", "job", "-f", job, "--output-dir", out, "--force")
	if r.code != exitUsage || !strings.Contains(r.stderr, "same output") {
		t.Errorf("exit %d, want 2 naming the shared output:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "x.csv")); err == nil {
		t.Error("a table was written before the job file was rejected")
	}
}

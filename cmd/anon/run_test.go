package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const customersProfile = "profiles/examples/customers.yaml"
const userdataCSV = "testdata/kylo-userdata/csv/userdata1.csv"

// TestDemoGolden runs the demo profile on the bundled sample and compares the
// output with a golden file. A gofakeit upgrade that changes fakes fails here.
func TestDemoGolden(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	out := filepath.Join(t.TempDir(), "customers.csv")
	mustRun(t, "run", "-p", repo(customersProfile), "-i", repo(userdataCSV), "-o", out)
	golden(t, repo("testdata", "golden", "customers.csv"), readFile(t, out))
}

// TestDeterminism: the same key gives byte-identical output across runs,
// batch sizes and worker counts; a different key changes the protected columns.
func TestDeterminism(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	runWith := func(name string, extra ...string) string {
		out := filepath.Join(dir, name)
		args := append([]string{"run", "-p", repo(customersProfile), "-i", repo(userdataCSV),
			"-o", out}, extra...)
		mustRun(t, args...)
		return readFile(t, out)
	}

	base := runWith("a.csv")
	variants := map[string][]string{
		"second run":          nil,
		"batch size 7":        {"--batch-size", "7"},
		"batch size 1, 3 wkr": {"--batch-size", "1", "--workers", "3"},
		"one worker":          {"--workers", "1"},
	}
	for name, extra := range variants {
		t.Run(name, func(t *testing.T) {
			got := runWith(strings.ReplaceAll(name, " ", "_")+".csv", extra...)
			if got != base {
				t.Errorf("output differs from the first run")
			}
		})
	}

	t.Run("different key", func(t *testing.T) {
		t.Setenv("ANON_KEY", "another-key-0123456789abcdef")
		other := runWith("other.csv")
		a, b := csvColumn(t, base, "email"), csvColumn(t, other, "email")
		same := 0
		for i := range a {
			if a[i] != "" && a[i] == b[i] {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%d emails identical under a different key", same)
		}
	})
}

// TestSameDataFromCSVAndParquet: the same rows read from CSV and from Parquet
// give the same anonymized output.
func TestSameDataFromCSVAndParquet(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	keepAll := writeFile(t, dir, "keep.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	pq := filepath.Join(dir, "in.parquet")
	mustRun(t, "run", "-p", keepAll, "-i", repo(userdataCSV), "-o", pq)

	fromCSV := filepath.Join(dir, "from-csv.csv")
	fromPQ := filepath.Join(dir, "from-parquet.csv")
	mustRun(t, "run", "-p", repo(customersProfile), "-i", repo(userdataCSV), "-o", fromCSV)
	mustRun(t, "run", "-p", repo(customersProfile), "-i", pq, "-o", fromPQ)
	if a, b := readFile(t, fromCSV), readFile(t, fromPQ); a != b {
		t.Errorf("CSV and Parquet inputs gave different outputs")
	}
}

// TestNoOriginalValueLeft: no original value of a fake, hash or masked column
// appears anywhere in the output.
func TestNoOriginalValueLeft(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.ndjson")
	mustRun(t, "run", "-p", repo(customersProfile), "-i", repo(userdataCSV), "-o", out)
	output := readFile(t, out)
	input := readFile(t, repo(userdataCSV))

	// Values that also sit in a kept column (an email of "Unknown", like a
	// gender) legitimately appear in the output.
	kept := map[string]bool{}
	for _, col := range []string{"id", "gender", "country", "title"} {
		for _, v := range csvColumn(t, input, col) {
			kept[v] = true
		}
	}
	for _, col := range []string{"first_name", "last_name", "email", "ip_address", "cc"} {
		leaks := 0
		for _, v := range csvColumn(t, input, col) {
			if kept[v] {
				continue
			}
			// Very short values (a 3-letter name) can occur inside other text by
			// chance; check those as whole JSON strings only.
			needle := v
			if len([]rune(v)) < 6 {
				needle = `"` + v + `"`
			}
			if v != "" && strings.Contains(output, needle) {
				leaks++
			}
		}
		// Fake first names are drawn from a list of real names, so a real
		// name can come out for another person; whole-value leaks of the same
		// row are what matter and are checked below.
		if col != "first_name" && col != "last_name" && leaks > 0 {
			t.Errorf("column %s: %d original values appear in the output", col, leaks)
		}
	}

	outCSV := filepath.Join(dir, "out.csv")
	mustRun(t, "run", "-p", repo(customersProfile), "-i", repo(userdataCSV), "-o", outCSV)
	got := readFile(t, outCSV)
	for _, col := range []string{"first_name", "last_name", "email", "ip_address", "cc"} {
		in, o := csvColumn(t, input, col), csvColumn(t, got, col)
		for i := range in {
			if in[i] != "" && in[i] == o[i] {
				t.Errorf("column %s row %d kept its original value", col, i+1)
			}
		}
	}
}

// TestCSVTextKept: untouched CSV columns keep their exact text.
func TestCSVTextKept(t *testing.T) {
	dir := t.TempDir()
	src := "zip,phone,big_id,amount,note\n" +
		"02134,+1 (555) 010-0000,123456789012345678901234567890,0053872.20,\"a, \"\"b\"\"\"\n" +
		"00501,5550100999,9007199254740993,1e5,\"line one\nline two\"\n" +
		",\"\",0,-0,  padded  \n"
	in := writeFile(t, dir, "in.csv", src)
	prof := writeFile(t, dir, "p.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")

	for _, format := range []string{"csv", "parquet", "ndjson"} {
		t.Run("via "+format, func(t *testing.T) {
			mid := filepath.Join(dir, "mid."+format)
			out := filepath.Join(dir, "out-"+format+".csv")
			mustRun(t, "run", "--force", "-p", prof, "-i", in, "-o", mid)
			mustRun(t, "run", "--force", "-p", prof, "-i", mid, "-o", out)
			if got := readFile(t, out); got != src {
				t.Errorf("round trip through %s changed the text:\n got %q\nwant %q",
					format, got, src)
			}
		})
	}
}

// TestNullsAndEmptyStringsApart covers B07: a null stays null (an empty
// field) and is not faked; an empty string stays apart from it.
func TestNullsAndEmptyStringsApart(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id,email\n1,\n2,\"\"\n3,bo.test@example.org\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: mask, keep_first: 1}\n")

	out := filepath.Join(dir, "out.csv")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out)
	want := "id,email\n1,\n2,\"\"\n3,b*.****@*******.***\n"
	if got := readFile(t, out); got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	outJSON := filepath.Join(dir, "out.ndjson")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", outJSON)
	got := readFile(t, outJSON)
	if !strings.Contains(got, `{"id":"1","email":null}`) ||
		!strings.Contains(got, `{"id":"2","email":""}`) {
		t.Errorf("NDJSON output does not keep null and empty apart:\n%s", got)
	}
}

// TestProfileMissingColumnFails: a column the profile does not name is an
// error that lists it, with exit code 2 and no output.
func TestProfileMissingColumnFails(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id,email,ssn\n1,a@b.c,123\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n")
	out := filepath.Join(dir, "out.csv")

	r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out)
	if r.code != exitProfile {
		t.Errorf("exit code = %d, want %d", r.code, exitProfile)
	}
	for _, want := range []string{"email", "ssn", "2 input column(s)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not mention %q:\n%s", want, r.stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an output file was written")
	}

	r = anon(t, "", "validate", "-p", prof, "-i", in)
	if r.code != exitProfile || !strings.Contains(r.stderr, "ssn") {
		t.Errorf("validate: exit %d, stderr %q; want exit 2 naming ssn", r.code, r.stderr)
	}
}

// TestMalformedInputFails: a bad row gives exit 1, names the file, line and
// column, never prints the value, and leaves no output file.
func TestMalformedInputFails(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  secret: {strategy: keep, type: int64}\n")
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"ragged row", "id,secret\n1,2\n2,SENTINEL-VALUE,extra\n",
			[]string{"in.csv", "line 3"}},
		{"bad integer", "id,secret\n1,2\n2,SENTINEL-VALUE\n",
			[]string{"in.csv", "secret", "row 2"}},
		{"unterminated quote", "id,secret\n1,\"SENTINEL-VALUE\n",
			[]string{"in.csv", "line 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := writeFile(t, dir, "in.csv", tc.input)
			out := filepath.Join(dir, "out.csv")
			r := anon(t, "", "run", "--log-level", "debug", "-p", prof, "-i", in, "-o", out)
			if r.code != exitFailed {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", r.code, exitFailed, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr+r.stdout, "SENTINEL") {
				t.Errorf("a data value reached the output streams:\n%s", r.stderr)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "out") || strings.Contains(e.Name(), "anon-tmp") {
					t.Errorf("a partial output was left: %s", e.Name())
				}
			}
		})
	}
}

// TestNoDataInLogs: with debug logging, in text and JSON, no value from the
// data appears on stdout or stderr.
func TestNoDataInLogs(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "name,email,ssn,note\n"+
		"SENTINEL-NAME,sentinel@example.org,SENTINEL-SSN,SENTINEL-NOTE\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n"+
		"  name: {strategy: fake, kind: full_name}\n"+
		"  email: {strategy: fake, kind: email}\n"+
		"  ssn: {strategy: hash}\n  note: {strategy: mask}\n")
	for _, format := range []string{"text", "json"} {
		r := mustRun(t, "--log-format", format, "--log-level", "debug", "run", "-p", prof,
			"-i", in, "-o", filepath.Join(dir, "out-"+format+".csv"), "--report",
			filepath.Join(dir, "report.json"), "--force")
		logs := r.stdout + r.stderr + readFile(t, filepath.Join(dir, "report.json"))
		for _, s := range []string{"SENTINEL", "sentinel@", testKey} {
			if strings.Contains(logs, s) {
				t.Errorf("%s logs contain %q:\n%s", format, s, logs)
			}
		}
		if !strings.Contains(r.stderr, "rows") {
			t.Errorf("%s logs have no summary:\n%s", format, r.stderr)
		}
	}
}

// TestKeyRequired covers B27: keyed strategies refuse to run without a key.
func TestKeyRequired(t *testing.T) {
	t.Setenv("ANON_KEY", "")
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id,ssn\n1,900-12-3456\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n  ssn: {strategy: hash}\n")
	out := filepath.Join(dir, "out.csv")

	r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "ANON_KEY") {
		t.Errorf("exit %d, stderr %q; want exit 2 asking for ANON_KEY", r.code, r.stderr)
	}

	short := writeFile(t, dir, "short.key", "abc\n")
	r = anon(t, "", "run", "-p", prof, "-i", in, "-o", out, "--key-file", short)
	if r.code != exitUsage || !strings.Contains(r.stderr, "too short") ||
		strings.Contains(r.stderr, "abc") {
		t.Errorf("short key: exit %d, stderr %q", r.code, r.stderr)
	}

	good := writeFile(t, dir, "good.key", testKey+"\n")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out, "--key-file", good)
}

// TestOverwriteNeedsForce: an existing output is kept unless --force.
func TestOverwriteNeedsForce(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id\n1\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n")
	out := writeFile(t, dir, "out.csv", "precious\n")

	r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out)
	if r.code != exitUsage || readFile(t, out) != "precious\n" {
		t.Errorf("exit %d; output %q; want exit 2 and the file untouched", r.code,
			readFile(t, out))
	}
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out, "--force")
	if readFile(t, out) != "id\n1\n" {
		t.Errorf("--force did not overwrite")
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("output mode = %v, want 0600", info.Mode().Perm())
	}
}

// TestStdinStdout: - reads standard input and writes standard output.
func TestStdinStdout(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  card: {strategy: mask, keep_last: 4}\n")
	r := anon(t, "id,card\n1,4111-1111-1111-1234\n", "run", "-p", prof, "-i", "-", "-o", "-")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "id,card\n1,****-****-****-1234\n"; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
}

// TestAnyFormatToAnyFormat converts the sample through every pair of formats
// and back to CSV, and checks the text survives.
func TestAnyFormatToAnyFormat(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	want := readFile(t, repo(userdataCSV))
	formats := []string{"csv", "ndjson", "json", "parquet"}
	for _, a := range formats {
		for _, b := range formats {
			t.Run(a+" to "+b, func(t *testing.T) {
				first := filepath.Join(dir, "first-"+a+"-"+b+"."+a)
				second := filepath.Join(dir, "second-"+a+"-"+b+"."+b)
				back := filepath.Join(dir, "back-"+a+"-"+b+".csv")
				mustRun(t, "run", "-p", prof, "-i", repo(userdataCSV), "-o", first)
				mustRun(t, "run", "-p", prof, "-i", first, "-o", second)
				mustRun(t, "run", "-p", prof, "-i", second, "-o", back)
				if got := readFile(t, back); got != want {
					t.Errorf("csv -> %s -> %s -> csv changed the data", a, b)
				}
			})
		}
	}
}

package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testKey = "test-key-0123456789abcdef"

// result is what one in-process run of the command printed and returned.
type result struct {
	code   int
	stdout string
	stderr string
}

// anon runs the command in-process with args (without the program name).
func anon(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"anon"}, args...),
		strings.NewReader(stdin), &out, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustRun runs the command and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := anon(t, "", args...)
	if r.code != 0 {
		t.Fatalf("anon %s: exit %d\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// writeFile writes content to name in dir and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with the golden file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/anon -update if the change "+
			"is intended)\n got: %.400q\nwant: %.400q", path, got, want)
	}
}

// repo returns a path relative to the repository root.
func repo(parts ...string) string {
	return filepath.Join(append([]string{"..", ".."}, parts...)...)
}

func TestUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n")
	in := writeFile(t, dir, "in.csv", "id\n1\n")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"scramble"}, ""},
		{"missing profile flag", []string{"run", "--input", in, "--output", "o.csv"}, "profile"},
		{"unknown flag", []string{"run", "--bogus"}, "bogus"},
		{"profile file missing", []string{"run", "-p", filepath.Join(dir, "nope.yaml"),
			"-i", in, "-o", filepath.Join(dir, "o.csv")}, "nope.yaml"},
		{"unknown format", []string{"run", "-p", prof, "-i", in, "-o",
			filepath.Join(dir, "o.xlsx")}, "cannot tell the format"},
		{"output is input", []string{"run", "-p", prof, "-i", in, "-o", in},
			"never modifies its input"},
		{"parquet to stdout", []string{"run", "-p", prof, "-i", in, "-o", "-",
			"--output-format", "parquet"}, "standard output"},
		{"bad delimiter", []string{"run", "-p", prof, "-i", in, "-o",
			filepath.Join(dir, "o.csv"), "--delimiter", ";;"}, "one ASCII character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := anon(t, "", tc.args...)
			if r.code != exitUsage {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr does not mention %q:\n%s", tc.want, r.stderr)
			}
		})
	}
}

func TestStrategiesListsEverySpec(t *testing.T) {
	r := mustRun(t, "strategies")
	for _, name := range []string{"keep", "drop", "null", "constant", "mask", "hash",
		"fake", "noise", "generalize"} {
		if !strings.Contains(r.stdout, name+" - ") {
			t.Errorf("anon strategies does not list %q", name)
		}
	}
	r = anon(t, "", "strategies", "scramble")
	if r.code != exitUsage {
		t.Errorf("unknown strategy: exit %d, want %d", r.code, exitUsage)
	}
}

// TestReadmeStrategiesUpToDate keeps the README's strategy reference equal to
// what `anon strategies --format markdown` prints, so docs cannot drift.
func TestReadmeStrategiesUpToDate(t *testing.T) {
	r := mustRun(t, "strategies", "--format", "markdown")
	readme := readFile(t, repo("README.md"))
	const begin, end = "<!-- strategies:begin -->\n", "<!-- strategies:end -->"
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the strategies:begin/end markers")
	}
	got := readme[i+len(begin) : j]
	if *update {
		readme = readme[:i+len(begin)] + r.stdout + readme[j:]
		if err := os.WriteFile(repo("README.md"), []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != r.stdout {
		t.Error("README strategy reference is stale: run go test ./cmd/anon -run Readme -update")
	}
}

func TestMoreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n")
	in := writeFile(t, dir, "in.csv", "id\n1\n")
	out := filepath.Join(dir, "o.csv")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"report over input", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--report", in}, "--report names"},
		{"report over profile", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--report", prof}, "--report names"},
		{"output over profile", []string{"run", "-p", prof, "-i", in, "-o", prof,
			"--output-format", "csv",
			"--force"}, "the output is the profile"},
		{"report in missing folder", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--report", filepath.Join(dir, "no", "r.json")}, "does not exist"},
		{"output is a device", []string{"run", "-p", prof, "-i", in, "-o", "/dev/null",
			"--output-format", "csv", "--force"}, "not a regular file"},
		{"negative workers", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--workers", "-1"}, "--workers"},
		{"unknown log level", []string{"--log-level", "verbose", "run", "-p", prof,
			"-i", in, "-o", out}, "--log-level"},
		{"non-ASCII delimiter", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--delimiter", "é"}, "ASCII"},
		{"parquet from stdin", []string{"run", "-p", prof, "-i", "-", "-o", out,
			"--input-format", "parquet"}, "standard input"},
		{"compression for CSV", []string{"run", "-p", prof, "-i", in, "-o", out,
			"--compression", "zstd"}, "Parquet output only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := anon(t, "", tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", r.code, r.stderr,
					tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty: %q", r.stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("an output file was written")
			}
			if b, _ := os.ReadFile(in); string(b) != "id\n1\n" {
				t.Errorf("the input was changed")
			}
		})
	}

	t.Run("bad flag prints no help on stdout", func(t *testing.T) {
		r := anon(t, "", "run", "--bogus")
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("exit %d, stdout %q", r.code, r.stdout)
		}
	})
}

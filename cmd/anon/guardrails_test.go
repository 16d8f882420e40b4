package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateGuardrails: validate warns about weak settings (exit 0) and
// fails with --strict (exit 2); the data-dependent ones need --input.
func TestValidateGuardrails(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("pin,salary,id\n")
	for i := range 500 {
		fmt.Fprintf(&b, "%04d,%d,%d\n", i, 20000+i*211, i)
	}
	in := writeFile(t, dir, "in.csv", b.String())

	tests := []struct {
		name    string
		columns string
		input   bool
		want    string // "" for no warning
	}{
		{"mask keeps 4", "pin: {strategy: mask, keep_last: 4}", false,
			"p.yaml:4: columns.pin.keep_last:"},
		{"mask keeps half of the input", "pin: {strategy: mask, keep_first: 3}", true,
			"more than half of a typical value"},
		{"mask fine without input", "pin: {strategy: mask, keep_first: 3}", false, ""},
		{"short hash", "pin: {strategy: hash, length: 10}", false, "columns.pin.length"},
		{"tiny noise", "pin: keep\n  salary: {strategy: noise, scale: 5}", true,
			"columns.salary.scale"},
		{"enough noise", "pin: keep\n  salary: {strategy: noise, scale: 5000}", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("ANON_KEY", testKey)
			prof := writeFile(t, dir, "p.yaml", "version: 1\ndefault: keep\ncolumns:\n  "+
				tt.columns+"\n")
			args := []string{"validate", "-p", prof}
			if tt.input {
				args = append(args, "-i", in)
			}
			r := anon(t, "", args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if tt.want == "" {
				if strings.Contains(r.stdout, "warning") {
					t.Errorf("unexpected warning: %s", r.stdout)
				}
				return
			}
			if !strings.Contains(r.stdout, "warning: ") || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout lacks a warning with %q:\n%s", tt.want, r.stdout)
			}
			r = anon(t, "", append(args, "--strict")...)
			if r.code != exitUsage || !strings.Contains(r.stderr, "--strict") {
				t.Errorf("--strict: exit %d, stderr %s", r.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "20211") {
				t.Error("a data value was printed")
			}
		})
	}
}

// TestRunLogsGuardrails: anon run logs the same warnings at warn level.
func TestRunLogsGuardrails(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: {strategy: hash, "+
		"length: 12}\n")
	in := writeFile(t, dir, "in.csv", "id\n1\n")
	r := mustRun(t, "--log-format", "json", "run", "-p", prof, "-i", in, "-o",
		filepath.Join(dir, "o.csv"))
	if !strings.Contains(r.stderr, `"level":"WARN","msg":"weak profile setting"`) ||
		!strings.Contains(r.stderr, `"key":"columns.id.length"`) {
		t.Errorf("no warn line for the short hash:\n%s", r.stderr)
	}
}

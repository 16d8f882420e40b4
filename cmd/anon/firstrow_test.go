package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstCSVRowNeverLeaks runs run, validate and scan on CSV files whose
// first record is data: headerless files read with and without --no-header,
// and CR-only line endings. Nothing of the first record may appear on
// stdout, stderr, in the audit log or as the output's header: either the
// command fails naming the file and line, with no output left, or the row
// comes out transformed.
func TestFirstCSVRowNeverLeaks(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	// default: null blanks every column the profile does not name, so a
	// profile covers whatever columns a data row read as header would give.
	nullAll := writeFile(t, dir, "null.yaml", "version: 1\ndefault: null\n"+
		"columns:\n  col1: {strategy: fake, kind: email}\n")
	nullOnly := writeFile(t, dir, "nullonly.yaml", "version: 1\ndefault: null\ncolumns: {}\n")
	row1 := []string{"alice@example.com", "+44 20 7946 0958", "Zebulon"}
	headerless := strings.Join(row1, ",") + "\nbob@example.org,+44 20 7946 0959,Yolanda\n"
	crOnly := strings.Join(row1, ",") + "\rbob@example.org,+44 20 7946 0959,Yolanda\r"

	tests := []struct {
		name    string
		input   string
		profile string
		args    []string
		code    int    // exit code of run and validate
		scan    int    // exit code of scan
		output  string // for code 0: the exact output of run
	}{
		{name: "headerless read as header", input: headerless, profile: nullAll,
			code: exitFailed, scan: exitFailed},
		{name: "headerless, default null only", input: headerless, profile: nullOnly,
			code: exitFailed, scan: exitFailed},
		{name: "headerless with --no-header", input: headerless, profile: nullOnly,
			args: []string{"--no-header"}, output: ",,\n,,\n"},
		{name: "CR-only endings", input: crOnly, profile: nullAll,
			code: exitFailed, scan: exitFailed},
		{name: "CR-only endings with --no-header", input: crOnly, profile: nullAll,
			args: []string{"--no-header"}, code: exitFailed, scan: exitFailed},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := filepath.Join(dir, "case"+string(rune('a'+i)))
			if err := mkdir(sub); err != nil {
				t.Fatal(err)
			}
			in := writeFile(t, sub, "in.csv", tt.input)
			out := filepath.Join(sub, "out.csv")
			audit := filepath.Join(sub, "audit.jsonl")

			var said []string
			check := func(what string, r result, want int) {
				t.Helper()
				if r.code != want {
					t.Errorf("%s: exit %d, want %d\nstderr: %s", what, r.code, want, r.stderr)
				}
				if want != 0 && !strings.Contains(r.stderr, "in.csv: line 1") {
					t.Errorf("%s: stderr %q does not name the file and line", what, r.stderr)
				}
				said = append(said, r.stdout, r.stderr)
			}
			base := append([]string{"--input", in}, tt.args...)
			check("run", anon(t, "", append([]string{"run", "--profile", tt.profile,
				"--output", out, "--no-progress", "--audit-log", audit}, base...)...), tt.code)
			check("validate", anon(t, "", append([]string{"validate", "--profile",
				tt.profile}, base...)...), tt.code)
			check("scan", anon(t, "", append([]string{"scan"}, base...)...), tt.scan)

			got, err := os.ReadFile(out)
			switch {
			case tt.code != 0 && err == nil:
				t.Errorf("run failed but left %s", out)
			case tt.code == 0 && string(got) != tt.output:
				t.Errorf("got output %q, want %q", got, tt.output)
			}
			if b, err := os.ReadFile(audit); err == nil {
				said = append(said, string(b))
			}
			for _, s := range said {
				for _, v := range row1 {
					if strings.Contains(s, v) {
						t.Errorf("first-row value %q leaked:\n%s", v, s)
					}
				}
			}
		})
	}
}

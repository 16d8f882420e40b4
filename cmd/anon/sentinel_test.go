package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sentinelMark is part of every planted value: no output stream, report or
// audit log may ever contain it.
const sentinelMark = "SNTNL"

// TestSentinelsNeverReachLogs plants a sentinel in every column of a table in
// every format, runs every command with debug logging (text and JSON), with
// good and with deliberately broken inputs and profiles, and fails if any
// sentinel appears on stdout, stderr, in a report or in the audit log. Data
// output files are not checked: keep columns legitimately hold the data.
func TestSentinelsNeverReachLogs(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	csvText := "id,name,email,age,note\n" +
		"SNTNL0001,SNTNL Ana,ana.SNTNL@example.org,SNTNL42,call SNTNL at +1 555 0100\n" +
		"SNTNL0002,SNTNL Bo,bo.SNTNL@example.org,SNTNL43,SNTNL note\n"
	in := map[string]string{"csv": writeFile(t, dir, "in.csv", csvText)}
	keepAll := writeFile(t, dir, "keep.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	for _, f := range []string{"ndjson", "json", "parquet"} {
		in[f] = filepath.Join(dir, "in."+f)
		mustRun(t, "run", "-p", keepAll, "-i", in["csv"], "-o", in[f])
	}

	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n"+
		"  id: {strategy: hash, length: 16}\n"+
		"  name: {strategy: fake, kind: full_name}\n"+
		"  email: {strategy: tokenize}\n"+
		"  age: {strategy: noise, scale: 2}\n"+ // SNTNL42 is not a number: a row error
		"  note: {strategy: scrub}\n")
	good := writeFile(t, dir, "good.yaml", "version: 1\ncolumns:\n"+
		"  id: {strategy: hash, length: 16}\n  name: {strategy: fake, kind: full_name}\n"+
		"  email: {strategy: mask, mode: email}\n  age: null\n  note: {strategy: scrub}\n")
	badProfile := writeFile(t, dir, "bad.yaml", "version: 1\ncolumns:\n"+
		"  id: {strategy: hash, length: 3}\n  name: {strategy: mask, keep_firs: 1}\n")
	audit := filepath.Join(dir, "audit.jsonl")

	var commands [][]string
	for format, path := range in {
		out := func(name string) string { return filepath.Join(dir, format+"-"+name) }
		commands = append(commands,
			[]string{"run", "-p", good, "-i", path, "-o", out("good.csv"),
				"--report", out("report.json"), "--audit-log", audit},
			[]string{"run", "-p", prof, "-i", path, "-o", out("fail.csv"), "--audit-log", audit},
			[]string{"run", "-p", badProfile, "-i", path, "-o", out("bad.csv")},
			[]string{"validate", "-p", good, "-i", path, "--strict"},
			[]string{"validate", "-p", badProfile, "-i", path},
			[]string{"scan", "-i", path, "--format", "json"},
			[]string{"scan", "-i", path, "--write-profile", out("scan.yaml")},
			[]string{"verify", "-p", good, "--original", path, "--anonymized", out("good.csv"),
				"--report", out("verify.json")},
			[]string{"verify", "-p", good, "--original", path, "--anonymized", path},
		)
	}
	broken := writeFile(t, dir, "broken.csv", "id,name\nSNTNL1,\"SNTNL unterminated\n")
	ragged := writeFile(t, dir, "ragged.csv", "id,name\nSNTNL1,SNTNL2,SNTNL3\n")
	badJSON := writeFile(t, dir, "bad.ndjson", "{\"id\": \"SNTNL\", SNTNL}\n")
	for _, p := range []string{broken, ragged, badJSON} {
		commands = append(commands,
			[]string{"run", "-p", keepAll, "-i", p, "-o", p + ".out.csv"},
			[]string{"scan", "-i", p})
	}
	commands = append(commands, []string{"reveal", "-n", "email", "SNTNL.token@example.org"})

	for _, logFormat := range []string{"text", "json"} {
		for _, c := range commands {
			args := append([]string{"--log-format", logFormat, "--log-level", "debug"}, c...)
			r := anon(t, "", args...)
			if strings.Contains(r.stdout+r.stderr, sentinelMark) {
				t.Errorf("anon %s (exit %d) printed a data value:\nstdout: %.300s\nstderr: %.300s",
					strings.Join(args, " "), r.code, r.stdout, r.stderr)
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Errorf("anon %s panicked:\n%s", strings.Join(args, " "), r.stderr)
			}
		}
	}

	// Reports, audit log and written profiles: names and counts only.
	files, _ := filepath.Glob(filepath.Join(dir, "*-report.json"))
	verifies, _ := filepath.Glob(filepath.Join(dir, "*-verify.json"))
	files = append(append(files, verifies...), audit)
	scans, _ := filepath.Glob(filepath.Join(dir, "*scan.yaml"))
	files = append(files, scans...)
	if len(files) != 4+4+1+4 {
		t.Fatalf("want 4 run reports, 4 verify reports, the audit log and 4 scan "+
			"profiles; found %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), sentinelMark) {
			t.Errorf("%s contains a data value", filepath.Base(f))
		}
	}
}

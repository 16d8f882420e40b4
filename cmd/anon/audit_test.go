package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const auditSentinel = "SENTINEL-audit-8675309"

// auditLines reads the audit log at path, one decoded record per line.
func auditLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("audit line is not JSON: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func sha256Hex(t *testing.T, path string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(readFile(t, path)))
	return hex.EncodeToString(sum[:])
}

// TestAuditLog: two runs append two lines with every field, digests that
// match the files, and no data value or key.
func TestAuditLog(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: hash, length: 24}\n  note: drop\n")
	in := writeFile(t, dir, "in.csv", "id,email,note\n1,"+auditSentinel+"@x.org,"+
		auditSentinel+"\n2,b@y.org,\n")
	log := filepath.Join(dir, "audit.jsonl")

	out1, out2 := filepath.Join(dir, "o1.csv"), filepath.Join(dir, "o2.parquet")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out1, "--audit-log", log)
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out2, "--audit-log", log)

	raw := readFile(t, log)
	for _, s := range []string{auditSentinel, testKey, "b@y.org"} {
		if strings.Contains(raw, s) {
			t.Errorf("audit log holds %q", s)
		}
	}
	if st, _ := os.Stat(log); st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v, want 0600", st.Mode().Perm())
	}
	lines := auditLines(t, log)
	if len(lines) != 2 {
		t.Fatalf("%d audit lines, want 2", len(lines))
	}
	for i, out := range []string{out1, out2} {
		r := lines[i]
		for _, k := range []string{"time", "user", "host", "tool", "version", "profile",
			"profile_sha256", "input", "output", "columns", "rows_read", "rows_written",
			"outcome"} {
			if _, ok := r[k]; !ok {
				t.Errorf("line %d lacks %q", i+1, k)
			}
		}
		if _, err := time.Parse(time.RFC3339, r["time"].(string)); err != nil ||
			!strings.HasSuffix(r["time"].(string), "Z") {
			t.Errorf("time %v is not UTC RFC 3339", r["time"])
		}
		if r["outcome"] != "ok" || r["rows_read"] != 2.0 || r["rows_written"] != 2.0 {
			t.Errorf("line %d: outcome %v, rows %v/%v", i+1, r["outcome"], r["rows_read"],
				r["rows_written"])
		}
		if r["profile_sha256"] != sha256Hex(t, prof) {
			t.Errorf("profile digest %v", r["profile_sha256"])
		}
		input, output := r["input"].(map[string]any), r["output"].(map[string]any)
		if input["sha256"] != sha256Hex(t, in) ||
			input["bytes"] != float64(len(readFile(t, in))) {
			t.Errorf("input %v", input)
		}
		abs, _ := filepath.Abs(out)
		if output["path"] != abs || output["sha256"] != sha256Hex(t, out) ||
			output["bytes"] != float64(len(readFile(t, out))) {
			t.Errorf("output %v", output)
		}
		cols := r["columns"].([]any)
		if len(cols) != 2 {
			t.Fatalf("columns %v", cols)
		}
		email := cols[1].(map[string]any)
		if email["name"] != "email" || email["strategy"] != "hash" ||
			email["values_changed"] != 2.0 {
			t.Errorf("email column %v", email)
		}
		if d := r["dropped_columns"].([]any); len(d) != 1 || d[0] != "note" {
			t.Errorf("dropped %v", d)
		}
	}
}

// TestAuditLogFailure: a failed run appends a line with outcome "failed",
// the (value-free) error and no output digest; the data is not in it.
func TestAuditLogFailure(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ndefault: keep\ncolumns: {}\n")
	in := writeFile(t, dir, "in.csv", "a,b\n1,2\n"+auditSentinel+",2,3\n")
	log := filepath.Join(dir, "audit.jsonl")
	out := filepath.Join(dir, "o.csv")
	r := anon(t, "", "run", "-p", prof, "-i", in, "-o", out, "--audit-log", log)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1", r.code)
	}
	lines := auditLines(t, log)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	l := lines[0]
	if l["outcome"] != "failed" || !strings.Contains(l["error"].(string), "row 2") {
		t.Errorf("outcome %v, error %v", l["outcome"], l["error"])
	}
	if o := l["output"].(map[string]any); o["sha256"] != nil || o["bytes"] != nil {
		t.Errorf("a failed run's output has a digest: %v", o)
	}
	if strings.Contains(readFile(t, log), auditSentinel) {
		t.Error("audit log holds data")
	}

	// A bad profile is recorded too, when the flag names the log.
	bad := writeFile(t, dir, "bad.yaml", "version: 1\ncolumns:\n  a: scramble\n")
	r = anon(t, "", "run", "-p", bad, "-i", in, "-o", out, "--audit-log", log)
	if r.code != exitUsage {
		t.Fatalf("bad profile: exit %d, want 2", r.code)
	}
	if lines = auditLines(t, log); len(lines) != 2 || lines[1]["outcome"] != "failed" {
		t.Fatalf("bad profile not recorded: %v", lines)
	}
}

// TestAuditLogFromProfile: the profile's audit_log is relative to the
// profile; --audit-log wins; standard streams have null digests.
func TestAuditLogFromProfile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "profiles")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	prof := writeFile(t, sub, "p.yaml", "version: 1\ndefault: keep\naudit_log: audit.jsonl\n"+
		"columns: {}\n")
	r := anon(t, "a\n1\n", "run", "-p", prof, "-i", "-", "-o", "-")
	if r.code != 0 || r.stdout != "a\n1\n" {
		t.Fatalf("exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	lines := auditLines(t, filepath.Join(sub, "audit.jsonl"))
	if len(lines) != 1 {
		t.Fatalf("%d lines in the profile's audit log, want 1", len(lines))
	}
	for _, k := range []string{"input", "output"} {
		f := lines[0][k].(map[string]any)
		if f["path"] != "-" || f["bytes"] != nil || f["sha256"] != nil {
			t.Errorf("%s: %v, want path - and null digests", k, f)
		}
	}

	flagLog := filepath.Join(dir, "flag.jsonl")
	mustRunIn(t, "a\n1\n", "run", "-p", prof, "-i", "-", "-o", "-", "--audit-log", flagLog)
	if n := len(auditLines(t, filepath.Join(sub, "audit.jsonl"))); n != 1 {
		t.Errorf("profile's log has %d lines, want 1 (the flag wins)", n)
	}
	if n := len(auditLines(t, flagLog)); n != 1 {
		t.Errorf("flag's log has %d lines, want 1", n)
	}

	// The audit log may not be the input.
	in := writeFile(t, dir, "in.csv", "a\n1\n")
	r = anon(t, "", "run", "-p", prof, "-i", in, "-o", filepath.Join(dir, "o.csv"),
		"--audit-log", in)
	if r.code != exitUsage || readFile(t, in) != "a\n1\n" {
		t.Errorf("audit log over the input: exit %d", r.code)
	}
}

// mustRunIn is mustRun with standard input.
func mustRunIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := anon(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("anon %s: exit %d\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

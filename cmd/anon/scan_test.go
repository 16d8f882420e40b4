package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scan runs `anon scan args...` in-process, on the command alone, so the
// test does not depend on its place in main.go.
func scan(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	cmd := scanCommand(e)
	cmd.Writer, cmd.ErrWriter = &out, &errOut
	cmd.OnUsageError = onUsageError
	err := cmd.Run(context.Background(), append([]string{"scan"}, args...))
	code := exitOK
	if err != nil {
		code = exitUsage
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		errOut.WriteString(err.Error())
	}
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestScanKylo(t *testing.T) {
	in := repo("testdata/kylo-userdata/csv/userdata1.csv")
	r := scan(t, "--input", in, "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep scanResult
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"first_name": "person_name", "last_name": "person_name",
		"email": "email", "ip_address": "ipv4", "cc": "credit_card",
		"birthdate": "date_of_birth", "id": "none", "salary": "none"}
	for _, c := range rep.Columns {
		if w, ok := want[c.Name]; ok && string(c.Kind) != w {
			t.Errorf("%s: got %s, want %s", c.Name, c.Kind, w)
		}
	}
	if rep.Rows != 1000 {
		t.Errorf("rows %d", rep.Rows)
	}

	// The table names columns and kinds, never a value.
	table := scan(t, "--input", in, "--sample", "50")
	if table.code != 0 || !strings.Contains(table.stdout, "50 rows scanned") {
		t.Fatalf("table: exit %d\n%s%s", table.code, table.stdout, table.stderr)
	}
	for _, v := range []string{"Amanda", "ajordan0@com.com", "6759521864920116", "1.197.201.2"} {
		if strings.Contains(table.stdout+table.stderr+r.stdout, v) {
			t.Errorf("scan printed a value")
		}
	}
}

// TestScanWriteProfile writes a starter profile, which validate accepts and
// run runs, and refuses to overwrite it without --force.
func TestScanWriteProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "p.yaml")
	for _, in := range []string{"testdata/kylo-userdata/csv/userdata1.csv",
		"testdata/kylo-userdata/parquet/userdata1.parquet", "testdata/adult/adult.csv"} {
		args := []string{"--input", repo(in), "--write-profile", prof, "--force"}
		if strings.HasSuffix(in, "adult.csv") {
			args = append(args, "--delimiter", ";")
		}
		if r := scan(t, args...); r.code != 0 {
			t.Fatalf("%s: exit %d: %s", in, r.code, r.stderr)
		}
		text := readFile(t, prof)
		if !strings.HasPrefix(text, "# Starter profile") || !strings.Contains(text, "version: 1") {
			t.Fatalf("profile:\n%s", text)
		}
		mustRun(t, "validate", "--profile", prof)
		out := filepath.Join(dir, "out"+filepath.Ext(in))
		t.Setenv("ANON_KEY", testKey)
		run := append([]string{"run", "--profile", prof, "--output", out, "--force"},
			args[:2]...)
		run = append(run, args[len(args)-2:]...)
		if strings.HasSuffix(in, "adult.csv") {
			run = append(run, "--output-delimiter", ";")
		}
		if r := anon(t, "", run...); r.code != 0 {
			t.Fatalf("%s: run: exit %d\n%s\nprofile:\n%s", in, r.code, r.stderr, text)
		}
	}
	text := readFile(t, prof)
	if !strings.Contains(text, "# review") {
		t.Error("no review comments")
	}

	r := scan(t, "--input", repo("testdata/adult/adult.csv"), "--write-profile", prof)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwrite without --force: exit %d, %s", r.code, r.stderr)
	}
	if readFile(t, prof) != text {
		t.Error("profile overwritten")
	}
}

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"--input", "x.csv", "--format", "xml"}, exitUsage},
		{[]string{"--input", "x.csv", "--sample", "-1"}, exitUsage},
		{[]string{}, exitUsage},
		{[]string{"--input", filepath.Join(dir, "missing.csv")}, exitFailed},
		{[]string{"--input", writeFile(t, dir, "bad.csv", "a,b\n1\n")}, exitFailed},
	} {
		if r := scan(t, c.args...); r.code != c.code {
			t.Errorf("%v: exit %d, want %d: %s", c.args, r.code, c.code, r.stderr)
		}
	}
}

// TestScanB28 is field report B28: a UUID column is an identifier, never
// a phone number, and the suggested profile masks no phone.
func TestScanB28(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "b28.csv", "request_id,status\n"+
		"110bcd25-a55d-453a-8046-1297901ea002,ok\n6f1c2e9a-0d4b-4c1e-9a77-5550100123aa,ok\n")
	prof := filepath.Join(dir, "p.yaml")
	r := scan(t, "--input", in, "--format", "json", "--write-profile", prof)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	var rep scanResult
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Columns[0].Kind != "uuid" || rep.Columns[1].Kind != "none" {
		t.Errorf("kinds %s, %s", rep.Columns[0].Kind, rep.Columns[1].Kind)
	}
	if p := readFile(t, prof); strings.Contains(p, "phone") {
		t.Errorf("profile suggests a phone strategy:\n%s", p)
	}
}

// TestScrubLogEndToEnd obfuscates a log file read with the lines format.
func TestScrubLogEndToEnd(t *testing.T) {
	dir := t.TempDir()
	log := "2024-05-01T10:00:00Z INFO login user=jane.doe@corp.example.org ip=203.0.113.9\r\n" +
		"2024-05-01T10:00:01Z WARN card 4111 1111 1111 1111 declined\n" +
		"\n" +
		"2024-05-01T10:00:02Z INFO request 110bcd25-a55d-453a-8046-1297901ea002 done\n"
	in := writeFile(t, dir, "app.log", log)
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns: {line: {strategy: scrub}}\n")
	tagged := writeFile(t, dir, "t.yaml",
		"version: 1\ncolumns: {line: {strategy: scrub, replace: tag}}\n")
	t.Setenv("ANON_KEY", testKey)

	out := filepath.Join(dir, "app.clean.log")
	mustRun(t, "run", "--profile", prof, "--input", in, "--output", out)
	got := readFile(t, out)
	for _, p := range []string{"jane.doe@corp.example.org", "203.0.113.9 ", "4111 1111"} {
		if strings.Contains(got, p) {
			t.Errorf("%q left in the output:\n%s", p, got)
		}
	}
	lines := strings.Split(got, "\n")
	if len(lines) != 5 || lines[2] != "" || lines[3] != strings.TrimSuffix(
		strings.Split(log, "\n")[3], "\r") {
		t.Errorf("lines not kept:\n%q", got)
	}
	mustRun(t, "run", "--profile", prof, "--input", in, "--output", out+".log")
	if readFile(t, out+".log") != got {
		t.Error("not deterministic")
	}

	out = filepath.Join(dir, "tagged.log")
	mustRun(t, "run", "--profile", tagged, "--input", in, "--output", out)
	want := "2024-05-01T10:00:00Z INFO login user=<EMAIL> ip=<IPV4>\n" +
		"2024-05-01T10:00:01Z WARN card <CREDIT_CARD> declined\n\n" +
		"2024-05-01T10:00:02Z INFO request 110bcd25-a55d-453a-8046-1297901ea002 done\n"
	if g := readFile(t, out); g != want {
		t.Errorf("tagged:\n%s\nwant:\n%s", g, want)
	}
	if err := os.Remove(out); err != nil {
		t.Fatal(err)
	}
}

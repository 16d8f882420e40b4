package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anon-data/anon/detect"
)

var (
	demoProfile = repo("profiles", "examples", "customers.yaml")
	demoInput   = repo("testdata", "kylo-userdata", "csv", "userdata1.csv")
)

// demoOutput anonymizes the demo input with the demo profile into dir.
func demoOutput(t *testing.T, dir string) string {
	t.Helper()
	t.Setenv("ANON_KEY", testKey)
	out := filepath.Join(dir, "customers.csv")
	mustRun(t, "run", "--no-progress", "-p", demoProfile, "-i", demoInput, "-o", out)
	return out
}

// verifyReportOf runs anon verify with a JSON report and returns the result
// and the decoded report.
func verifyReportOf(t *testing.T, args ...string) (result, verifyReport) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	r := anon(t, "", append([]string{"verify", "--report", report}, args...)...)
	var rep verifyReport
	if b, err := os.ReadFile(report); err == nil {
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("report is not JSON: %v", err)
		}
		r.stdout += string(b) // checked for data values with the terminal output
	}
	return r, rep
}

// status returns the status of the named check.
func status(t *testing.T, rep verifyReport, name string) checkResult {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in the report", name)
	return checkResult{}
}

// readRecords and writeRecords edit a CSV file as records.
func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeRecords(t *testing.T, path string, recs [][]string) {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Dir(path), filepath.Base(path), b.String())
}

func colIndex(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q", name)
	}
	return i
}

func TestVerifyDemoPasses(t *testing.T) {
	out := demoOutput(t, t.TempDir())
	r, rep := verifyReportOf(t, "-p", demoProfile, "--original", demoInput,
		"--anonymized", out)
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !rep.Passed || len(rep.Checks) != 4 {
		t.Fatalf("report: passed %v, %d checks", rep.Passed, len(rep.Checks))
	}
	for _, c := range rep.Checks {
		if c.Status == statusFail {
			t.Errorf("check %s failed: %s %v", c.Name, c.Summary, c.Details)
		}
	}
	if len(rep.Leaks.Columns) != 6 || rep.Leaks.Hashed == 0 || rep.Leaks.FilterBytes == 0 {
		t.Errorf("leak figures: %+v", rep.Leaks)
	}
	if rep.Shape.OriginalRows != 1000 || rep.Shape.AnonymizedRows != 1000 {
		t.Errorf("rows: %+v", rep.Shape)
	}
	for _, want := range []string{"CHECK", "leaks", "risk", "scan", "shape", "PASS"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestVerifyFindsLeaks(t *testing.T) {
	dir := t.TempDir()
	out := demoOutput(t, dir)
	orig, recs := readRecords(t, demoInput), readRecords(t, out)
	email, title := colIndex(t, orig[0], "email"), colIndex(t, recs[0], "title")
	whole, inside := orig[10][email], orig[20][email]
	if whole == "" || inside == "" {
		t.Fatal("test rows have no email")
	}
	recs[50][title] = whole                                  // a whole value
	recs[60][title] = "write to " + inside + " for a refund" // inside text
	changed := recs[70][email]
	recs[70][email] = orig[70][email] // unchanged in its own column
	if changed == recs[70][email] || recs[70][email] == "" {
		t.Fatal("test row 70 has no email to restore")
	}
	writeRecords(t, out, recs)

	r, rep := verifyReportOf(t, "-p", demoProfile, "--original", demoInput,
		"--anonymized", out)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	c := status(t, rep, "leaks")
	if c.Status != statusFail {
		t.Fatalf("leaks: %+v", c)
	}
	for _, want := range []string{"2 values of column email appear in the output, in columns title",
		"1 row has its value of column email (fake) unchanged"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "leaks") {
		t.Errorf("stderr does not name the failed check:\n%s", r.stderr)
	}
	for _, v := range []string{whole, inside, orig[70][email]} {
		if strings.Contains(r.stdout, v) || strings.Contains(r.stderr, v) {
			t.Errorf("the output or report prints a protected value")
		}
	}
}

func TestVerifyKeptEmailFailsScan(t *testing.T) {
	if !slices.Contains(detect.ValueKinds("anna.smith@example.org"), detect.Email) {
		t.Skip("detect does not recognize emails yet")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,email\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d,person%d.name@mail%d.example.com\n", i, i, i%7)
	}
	in := writeFile(t, dir, "in.csv", b.String())
	out := writeFile(t, dir, "out.csv", b.String())
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n  email: keep\n")
	r, rep := verifyReportOf(t, "-p", prof, "--original", in, "--anonymized", out)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	c := status(t, rep, "scan")
	if c.Status != statusFail || !strings.Contains(strings.Join(c.Details, "\n"),
		"column email (keep) scans as email") {
		t.Errorf("scan: %+v", c)
	}
	if status(t, rep, "leaks").Status != statusPass {
		t.Errorf("a kept column is not a leak: %+v", status(t, rep, "leaks"))
	}
}

func TestVerifyRowDropped(t *testing.T) {
	out := demoOutput(t, t.TempDir())
	recs := readRecords(t, out)
	writeRecords(t, out, append(recs[:500:500], recs[501:]...))
	r, rep := verifyReportOf(t, "-p", demoProfile, "--original", demoInput,
		"--anonymized", out)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	c := status(t, rep, "shape")
	if c.Status != statusFail || !slices.Contains(c.Details, "999 rows, want 1000") {
		t.Errorf("shape: %+v", c)
	}
	if rep.Leaks.RowByRowSkipped == "" {
		t.Error("the row-by-row comparison ran on unpaired rows")
	}
}

func TestVerifyDroppedColumnPresent(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id,secret,note\n1,abc,x\n2,def,y\n")
	out := writeFile(t, dir, "out.csv", "id,secret,note\n1,abc,x\n2,def,y\n")
	prof := writeFile(t, dir, "p.yaml",
		"version: 1\ncolumns:\n  id: keep\n  secret: drop\n  note: keep\n")
	r, rep := verifyReportOf(t, "-p", prof, "--original", in, "--anonymized", out)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	if c := status(t, rep, "shape"); !slices.Contains(c.Details,
		"dropped columns present: secret") {
		t.Errorf("shape: %+v", c)
	}
	if c := status(t, rep, "leaks"); !slices.Contains(c.Details,
		"2 values of column secret appear in the output, in columns secret") {
		t.Errorf("leaks: %+v", c)
	}
}

func TestVerifyAdultKAnonymity(t *testing.T) {
	prof := repo("profiles", "examples", "adult-kanon.yaml")
	in := repo("testdata", "adult", "adult.csv")
	out := filepath.Join(t.TempDir(), "adult.csv")
	mustRun(t, "run", "--no-progress", "-p", prof, "-i", in, "--delimiter", ";", "-o", out)
	r, rep := verifyReportOf(t, "-p", prof, "--original", in, "--anonymized", out,
		"--delimiter", ";")
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	risk := rep.Risk
	if risk.Source != "k_anonymity" || len(risk.QuasiIdentifiers) != 8 || risk.RequiredK != 5 {
		t.Errorf("risk setup: %+v", risk)
	}
	if risk.SmallestClass < 5 || risk.RecordsBelowK != 0 || risk.MaxProsecutorRisk > 0.2 {
		t.Errorf("risk: %+v", risk)
	}
	if s := rep.Shape; s.AnonymizedRows >= s.OriginalRows || s.AnonymizedRows < s.MinRows {
		t.Errorf("suppression: %+v", s)
	}
}

// TestVerifyRiskFigures checks the risk figures against a table computed by
// hand.
func TestVerifyRiskFigures(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", `version: 1
columns:
  id: keep
k_anonymity:
  k: 3
  suppression_limit: 0.5
  suppressed: star
  quasi_identifiers:
    age: {intervals: [10, 20]}
    zip: {mask_suffix: true}
`)
	var in, out strings.Builder
	in.WriteString("id,age,zip\n")
	out.WriteString("id,age,zip\n")
	// Classes: 4 + 3 + 2 + 1 records, and 2 suppressed.
	classes := []struct {
		age, zip string
		n        int
	}{{"20-29", "123**", 4}, {"30-39", "123**", 3}, {"30-39", "456**", 2},
		{"40-49", "456**", 1}, {"*", "*", 2}}
	id := 0
	for _, c := range classes {
		for range c.n {
			id++
			fmt.Fprintf(&in, "%d,%d,%d\n", id, 20+id, 12300+id)
			fmt.Fprintf(&out, "%d,%s,%s\n", id, c.age, c.zip)
		}
	}
	inPath := writeFile(t, dir, "in.csv", in.String())
	outPath := writeFile(t, dir, "out.csv", out.String())
	r, rep := verifyReportOf(t, "-p", prof, "--original", inPath, "--anonymized", outPath)
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	got := rep.Risk
	want := riskReport{Source: "k_anonymity", QuasiIdentifiers: []string{"age", "zip"},
		RequiredK: 3, Records: 10, SuppressedRecords: 2, Classes: 4, SmallestClass: 1,
		RecordsBelowK: 3, ShareBelowK: 0.3, MaxProsecutorRisk: 1, AvgProsecutorRisk: 0.4}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("risk\n got %+v\nwant %+v", got, want)
	}
	if c := status(t, rep, "risk"); c.Status != statusFail {
		t.Errorf("risk check: %+v", c)
	}
	if math.Abs(got.AvgProsecutorRisk-0.4) > 1e-12 {
		t.Errorf("average prosecutor risk %v, want 0.4", got.AvgProsecutorRisk)
	}
}

func TestVerifyUsageErrors(t *testing.T) {
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n")
	in := writeFile(t, dir, "in.csv", "id,other\n1,2\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no original", []string{"-p", prof, "--anonymized", in}, "original"},
		{"stdin", []string{"-p", prof, "--original", "-", "--anonymized", in},
			"standard input"},
		{"bad profile", []string{"-p", filepath.Join(dir, "nope.yaml"), "--original", in,
			"--anonymized", in}, "nope.yaml"},
		{"unnamed column", []string{"-p", prof, "--original", in, "--anonymized", in},
			"other"},
		{"bad memory", []string{"-p", prof, "--original", in, "--anonymized", in,
			"--max-memory", "lots"}, "max-memory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := anon(t, "", append([]string{"verify"}, tc.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want %d, stderr mentioning %q:\n%s", r.code, exitUsage,
					tc.want, r.stderr)
			}
		})
	}
}

// TestVerifyFilterBecomesBloom checks that the exact hashes turn into a
// Bloom filter when they outgrow the budget, and that no value added is
// ever missed.
func TestVerifyFilterBecomesBloom(t *testing.T) {
	s := newHashSet(1 << 12)
	for i := range 5000 {
		s.add(valueHash(fmt.Sprint("value-", i)))
	}
	if s.bloom == nil {
		t.Fatal("5000 hashes in 4 KiB stayed exact")
	}
	b := s.freeze()
	if b.bytes() > 1<<12 {
		t.Errorf("filter of %d bytes, budget 4096", b.bytes())
	}
	for i := range 5000 {
		if !b.has(valueHash(fmt.Sprint("value-", i))) {
			t.Fatalf("value %d added but not found", i)
		}
	}
	exact := newHashSet(1 << 20)
	for i := range 100 {
		exact.add(valueHash(fmt.Sprint("value-", i)))
	}
	b = exact.freeze()
	misses := 0
	for i := range 100000 {
		if b.has(valueHash(fmt.Sprint("other-", i))) {
			misses++
		}
	}
	if misses > 10 {
		t.Errorf("%d false positives in 100000 lookups", misses)
	}
}

// TestVerifyLeakIgnoresCase: an original value written in other capitals is
// still a leak, in its own column and in another.
func TestVerifyLeakIgnoresCase(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	orig := writeFile(t, dir, "o.csv", "id,email,note\n1,ana.lima@example.org,x\n"+
		"2,bo.ray@example.org,y\n")
	anonOut := writeFile(t, dir, "a.csv", "id,email,note\n1,ANA.LIMA@EXAMPLE.ORG,x\n"+
		"2,zed@example.net,BO.RAY@EXAMPLE.ORG\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: fake, kind: email}\n  note: keep\n")
	r := anon(t, "", "verify", "-p", prof, "--original", orig, "--anonymized", anonOut)
	if r.code != exitFailed || !strings.Contains(r.stdout, "unchanged") ||
		!strings.Contains(r.stdout, "note") {
		t.Errorf("exit %d, want 1 reporting both leaks:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(strings.ToLower(r.stdout+r.stderr), "ana.lima") {
		t.Error("verify printed a value")
	}
}

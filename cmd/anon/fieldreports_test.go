package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Field reports from ../shared/cases/field-reports.md, end to end.

// TestB03NamespaceJoinsAcrossFiles: the same real name in two tables gets the
// same fake when the columns share a namespace, so joins still work.
func TestB03NamespaceJoinsAcrossFiles(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	customers := writeFile(t, dir, "customers.csv", "cust_id,full_name\n7,Ana Test\n8,Bo Test\n")
	orders := writeFile(t, dir, "orders.csv", "order_id,customer_name\n100,Ana Test\n101,Bo Test\n")
	pc := writeFile(t, dir, "c.yaml", "version: 1\ncolumns:\n  cust_id: keep\n"+
		"  full_name: {strategy: fake, kind: full_name, namespace: person}\n")
	po := writeFile(t, dir, "o.yaml", "version: 1\ncolumns:\n  order_id: keep\n"+
		"  customer_name: {strategy: fake, kind: full_name, namespace: person}\n")

	outC, outO := filepath.Join(dir, "c.out.csv"), filepath.Join(dir, "o.out.csv")
	mustRun(t, "run", "-p", pc, "-i", customers, "-o", outC)
	mustRun(t, "run", "-p", po, "-i", orders, "-o", outO)
	a := csvColumn(t, readFile(t, outC), "full_name")
	b := csvColumn(t, readFile(t, outO), "customer_name")
	if a[0] != b[0] || a[1] != b[1] || a[0] == a[1] || a[0] == "Ana Test" {
		t.Errorf("fakes %v and %v do not join", a, b)
	}
}

// TestB19MultilineFieldsStayOneRecord: fields with line breaks, commas and
// quotes are quoted on output and re-parse to the same records.
func TestB19MultilineFieldsStayOneRecord(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "id,address\n1,\"12 Fake St\nApt 4\"\n2,\"3 Test Rd, Unit 9\"\n")
	for _, strategy := range []string{"keep", "{strategy: fake, kind: street_address}"} {
		prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n  address: "+
			strategy+"\n")
		out := filepath.Join(dir, "out.csv")
		mustRun(t, "run", "--force", "-p", prof, "-i", in, "-o", out)
		got := csvColumn(t, readFile(t, out), "address")
		if len(got) != 2 {
			t.Fatalf("%s: %d records, want 2", strategy, len(got))
		}
		if strategy == "keep" && (got[0] != "12 Fake St\nApt 4" || got[1] != "3 Test Rd, Unit 9") {
			t.Errorf("keep changed the addresses: %q", got)
		}
	}
}

// TestB15B16TextStaysText: zips keep leading zeros through generalize, and
// phones keep their "+" through mask, with no ".0" suffix.
func TestB15B16TextStaysText(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.csv", "zip,phone\n\"02134\",+15550100123\n\"00501\",5550100999\n")
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n"+
		"  zip: {strategy: generalize, keep_first: 3}\n"+
		"  phone: {strategy: mask, keep_last: 4}\n")
	out := mustRun(t, "run", "-p", prof, "-i", in, "-o", "-")
	want := "zip,phone\n021**,+*******0123\n005**,******0999\n"
	if out.stdout != want {
		t.Errorf("got %q, want %q", out.stdout, want)
	}
	if strings.Contains(out.stdout, ".0") {
		t.Error("a number suffix appeared")
	}
}

// TestB04UniqueFakeEmails covers B04: 100,000 distinct emails through a fake
// email column marked unique give 100,000 distinct fakes, none of them a
// deliverable address, and the run is the same twice.
func TestB04UniqueFakeEmails(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,email\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "%d,user%d@example.org\n", i, i)
	}
	in := writeFile(t, dir, "in.csv", b.String())
	prof := writeFile(t, dir, "p.yaml", "version: 1\ncolumns:\n  id: keep\n"+
		"  email: {strategy: fake, kind: email, unique: true}\n")
	out := filepath.Join(dir, "out.csv")
	mustRun(t, "run", "-p", prof, "-i", in, "-o", out, "--batch-size", "4096")

	fakes := csvColumn(t, readFile(t, out), "email")
	seen := make(map[string]bool, len(fakes))
	for i, f := range fakes {
		if seen[f] {
			t.Fatalf("row %d: duplicate fake", i+1)
		}
		seen[f] = true
		if !strings.HasSuffix(f, ".example") || strings.Contains(f, fmt.Sprintf("user%d@", i)) {
			t.Fatalf("row %d: %q is not a safe fake address", i+1, f)
		}
	}
	if len(seen) != 100_000 {
		t.Errorf("%d distinct fakes, want 100000", len(seen))
	}
}

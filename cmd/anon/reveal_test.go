package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTokenizeThenReveal tokenizes columns with `anon run`, then reveals the
// tokens with `anon reveal`, from arguments and from a file, and gets the
// original values back.
func TestTokenizeThenReveal(t *testing.T) {
	t.Setenv("ANON_KEY", testKey)
	dir := t.TempDir()
	prof := writeFile(t, dir, "p.yaml", `version: 1
columns:
  email: {strategy: tokenize, namespace: customer_email, unique: true}
  phone: {strategy: tokenize, tweak: v2}
  ssn: {strategy: tokenize}
`)
	emails := []string{"ana.lima@example.org", "John.Smith84@Example.COM", "bo@mail.example.net"}
	phones := []string{"+1 (555) 123-4567", "555-987-6543", "+44 20 7946 0958"}
	ssns := []string{"078-05-1120", "219-09-9999", "123456789"}
	var in strings.Builder
	in.WriteString("email,phone,ssn\n")
	for i := range emails {
		fmt.Fprintf(&in, "%s,%s,%s\n", emails[i], phones[i], ssns[i])
	}
	input := writeFile(t, dir, "in.csv", in.String())
	out := filepath.Join(dir, "out.csv")
	mustRun(t, "run", "-p", prof, "-i", input, "-o", out)
	text := readFile(t, out)

	check := func(column string, want []string, args ...string) {
		t.Helper()
		tokens := csvColumn(t, text, column)
		for i, tok := range tokens {
			if tok == want[i] || len(tok) != len(want[i]) {
				t.Errorf("%s: token %q for %q is not a same-length change", column, tok,
					want[i])
			}
		}

		// Tokens as arguments.
		r := mustRun(t, append(append([]string{"reveal"}, args...), tokens...)...)
		if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); strings.Join(got,
			"|") != strings.Join(want, "|") {
			t.Errorf("%s: reveal printed %q, want %q", column, got, want)
		}

		// Tokens in a file, and on standard input.
		file := writeFile(t, dir, column+".txt", strings.Join(tokens, "\r\n")+"\r\n")
		r = mustRun(t, append([]string{"reveal", "--input", file}, args...)...)
		if r.stdout != strings.Join(want, "\n")+"\n" {
			t.Errorf("%s: reveal --input printed %q", column, r.stdout)
		}
		r = anon(t, strings.Join(tokens, "\n"), append([]string{"reveal", "-i", "-"},
			args...)...)
		if r.code != 0 || r.stdout != strings.Join(want, "\n")+"\n" {
			t.Errorf("%s: reveal -i - exit %d printed %q", column, r.code, r.stdout)
		}
	}
	check("email", emails, "--namespace", "customer_email")
	check("phone", phones, "--namespace", "phone", "--tweak", "v2")
	check("ssn", ssns, "--namespace", "ssn")

	// The wrong namespace does not reveal; a short token is an error that
	// names its position, not its text.
	tokens := csvColumn(t, text, "ssn")
	r := mustRun(t, "reveal", "--namespace", "other", tokens[0])
	if strings.TrimSpace(r.stdout) == ssns[0] {
		t.Error("another namespace revealed the value")
	}
	r = anon(t, "", "reveal", "--namespace", "ssn", tokens[0], "12-34")
	if r.code != exitFailed || !strings.Contains(r.stderr, "token 2") ||
		strings.Contains(r.stderr, "12-34") {
		t.Errorf("short token: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRevealUsage(t *testing.T) {
	t.Setenv("ANON_KEY", "")
	keyFile := writeFile(t, t.TempDir(), "key", testKey+"\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no namespace", []string{"reveal", "--key-file", keyFile, "123456"}, "namespace"},
		{"no tokens", []string{"reveal", "--key-file", keyFile, "-n", "x"}, "--input"},
		{"no key", []string{"reveal", "-n", "x", "123456"}, "secret key"},
		{"missing file", []string{"reveal", "--key-file", keyFile, "-n", "x", "-i",
			filepath.Join(os.TempDir(), "no-such-tokens.txt")}, "no-such-tokens"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := anon(t, "", tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr,
					exitUsage, tc.want)
			}
		})
	}
}
